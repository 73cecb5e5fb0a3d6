// Tensor: a dense float32 array in row-major order with its shape. The one value type that
// crosses module boundaries for model inputs, gradients and feature gradients.

/// A dense, row-major float32 tensor. `storage.count` always equals the product of `shape`.
public struct Tensor: Sendable, Equatable {
  public private(set) var shape: [Int]
  public var storage: [Float]

  /// Wraps `storage` with `shape`; the element count must match (a programming error otherwise).
  public init(shape: [Int], storage: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    precondition(Tensor.elementCount(shape) == storage.count,
                 "shape \(shape) needs \(Tensor.elementCount(shape)) elements, got \(storage.count)")
    self.shape = shape
    self.storage = storage
  }

  /// A tensor of zeros.
  public init(zeros shape: [Int]) {
    self.init(shape: shape, storage: [Float](repeating: 0, count: Tensor.elementCount(shape)))
  }

  /// Number of elements.
  public var count: Int { storage.count }

  /// Product of the dimensions (1 for a scalar shape `[]`).
  public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// The same elements seen with another shape of equal element count.
  public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, storage: storage) }
}
