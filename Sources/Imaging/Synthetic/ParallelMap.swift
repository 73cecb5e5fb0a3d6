// ParallelMap: maps 0..<count to values on all cores, results in index order, so parallel work
// stays deterministic (each index computes its value alone).

import Dispatch

enum ParallelMap {
  /// [body(0), body(1), …, body(count − 1)], computed concurrently.
  static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
      let slots = Slots(base: buffer.baseAddress!)
      DispatchQueue.concurrentPerform(iterations: count) { i in
        slots.base[i] = body(i)
      }
    }
    return results.map { $0! }
  }

  /// Result slots written by one worker each.
  private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
  }
}
