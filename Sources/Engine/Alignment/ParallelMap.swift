// ParallelMap: runs independent per-patient work on all cores (Dispatch's concurrentPerform) and
// returns results in index order, so the outcome never depends on scheduling.

import Dispatch

enum ParallelMap {
  static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    let slots = Slots<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { i in slots.store(body(i), at: i) }
    return slots.values()
  }

  /// Each index is written by exactly one iteration, so the writes never overlap.
  private final class Slots<T: Sendable>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>
    init(_ count: Int) {
      buffer = .allocate(capacity: count)
      buffer.initialize(repeating: nil)
    }
    deinit { buffer.deinitialize(); buffer.deallocate() }
    func store(_ value: T, at i: Int) { buffer[i] = value }
    func values() -> [T] { buffer.map { $0! } }
  }
}
