// Parallel: an ordered map over all cores, for work whose items cost about the same (reading
// thousands of NIfTI headers when a cohort opens).

import Dispatch
import Foundation

enum Parallel {
  /// `[body(0), body(1), …, body(count − 1)]`, the calls spread over the machine's cores (worker
  /// w takes items w, w + W, …). `body` must be safe to call from several threads at once.
  static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let workers = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), count)
    guard workers > 1 else { return (0..<count).map(body) }
    var slots = [T?](repeating: nil, count: count)
    slots.withUnsafeMutableBufferPointer { buffer in
      let slots = Slots(base: buffer.baseAddress)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: count, by: workers) { slots.base?[index] = body(index) }
      }
    }
    return slots.compactMap { $0 }  // every slot was filled above
  }

  /// The result buffer shared by the workers: each index is written by exactly one worker, and
  /// read only after all have finished, so the writes never race.
  private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>?
  }
}
