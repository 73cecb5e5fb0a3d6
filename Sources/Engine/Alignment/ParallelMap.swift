// ParallelMap: per-patient work on the engine's worker threads (Parallelism.forEach, static
// assignment), results returned in index order, so the outcome never depends on the thread count.

enum ParallelMap {
  static func map<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
    var slots = [T?](repeating: nil, count: count)
    slots.withUnsafeMutableBufferPointer { buffer in
      let buffer = UncheckedSendable(buffer)
      // Each item writes only its own slot.
      Parallelism.forEach(count: count, threads: threads) { item, _ in buffer.value[item] = body(item) }
    }
    return slots.map { $0! }
  }
}
