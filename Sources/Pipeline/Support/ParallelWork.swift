// ParallelWork: independent per-patient work on several threads, each result in its own slot and
// returned in index order, so what comes out never depends on the thread count. (Engine's and
// Imaging's helpers of the same kind are internal to those modules.)

import Dispatch

enum ParallelWork {
  static func map<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let workers = max(1, min(threads, count))
    if workers == 1 { return (0..<count).map(body) }
    let slots = Slots<T>(count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for item in stride(from: worker, to: count, by: workers) { slots.set(item, body(item)) }
    }
    return slots.values()
  }
}

/// Result slots written by disjoint items from several threads: a raw buffer, so that no array
/// uniqueness check or exclusivity check sees the concurrent writes.
private final class Slots<T>: @unchecked Sendable {
  private let buffer: UnsafeMutablePointer<T?>
  private let count: Int

  init(_ count: Int) {
    self.count = count
    buffer = .allocate(capacity: count)
    buffer.initialize(repeating: nil, count: count)
  }

  deinit {
    buffer.deinitialize(count: count)
    buffer.deallocate()
  }

  /// Each index is written by exactly one worker, and read only after all have finished.
  func set(_ index: Int, _ value: T) { buffer[index] = value }

  func values() -> [T] { (0..<count).map { buffer[$0]! } }
}
