// Parallel: runs independent per-sample work on several threads. Workers take the next item from
// a shared counter (a slow or preempted core simply does fewer items), and every result lands in
// its own slot, so results are bit-identical whatever the thread count or the assignment;
// reductions happen afterwards in a fixed order.

import Dispatch
import Foundation
import Synchronization

public enum Parallelism {
  /// The default number of worker threads: the machine's active processors.
  public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Threads from the `FGF_THREADS` environment variable when set to a positive integer, else
  /// `defaultThreads`. Commands use this; library callers pass `threads:` explicitly.
  public static var fromEnvironment: Int {
    if let text = ProcessInfo.processInfo.environment["FGF_THREADS"], let n = Int(text), n > 0 { return min(n, 256) }
    return defaultThreads
  }

  /// Calls `body(item, worker)` for every item in 0..<count on up to `threads` workers.
  static func forEach(count: Int, threads: Int, _ body: (_ item: Int, _ worker: Int) -> Void) {
    let workers = max(1, min(threads, count))
    if workers == 1 {
      for item in 0..<count { body(item, 0) }
      return
    }
    // Each item writes only its own slots, so sharing the closure across workers is safe.
    let queue = ItemQueue()
    withoutActuallyEscaping(body) { escaping in
      let shared = UncheckedSendable(escaping)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        while true {
          let item = queue.next.wrappingAdd(1, ordering: .relaxed).oldValue
          guard item < count else { break }
          shared.value(item, worker)
        }
      }
    }
  }
}

/// The index of the next unclaimed item, shared by the workers of one `forEach`.
private final class ItemQueue: Sendable {
  let next = Atomic<Int>(0)
}

/// A value handed to worker threads whose safety the caller guarantees (disjoint writes).
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
