// Parallel: runs independent per-sample work on several threads. Work is assigned statically
// (worker w takes items w, w+T, w+2T, …) and every result lands in its own slot, so results are
// bit-identical whatever the thread count; reductions happen afterwards in a fixed order.

import Dispatch
import Foundation

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
    withoutActuallyEscaping(body) { escaping in
      let shared = UncheckedSendable(escaping)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for item in stride(from: worker, to: count, by: workers) { shared.value(item, worker) }
      }
    }
  }
}

/// A value handed to worker threads whose safety the caller guarantees (disjoint writes).
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
