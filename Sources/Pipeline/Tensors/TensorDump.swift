// TensorDump: the output file of `fgf analyze --tensors … --dump OUT`, built tensor by tensor so
// that each analysis step adds its own (logit and grad_x here; features and alignments add more).

import Common

public struct TensorDump: Sendable {
  private var writer = SafetensorsWriter()
  /// Names added so far, in order.
  public private(set) var names: [String] = []

  public init(metadata: [String: String] = [:]) {
    writer = SafetensorsWriter(metadata: metadata)
  }

  /// Adds a float32 tensor; `values.count` must equal the product of `shape`.
  public mutating func add(_ name: String, shape: [Int], floats values: [Float]) {
    writer.add(name, shape: shape, floats: values)
    names.append(name)
  }

  /// Adds an int64 tensor (labels, split codes).
  public mutating func add(_ name: String, shape: [Int], int64 values: [Int64]) {
    writer.add(name, shape: shape, int64: values)
    names.append(name)
  }

  public mutating func setMetadata(_ key: String, _ value: String) { writer.setMetadata(key, value) }

  public func encoded() -> [UInt8] { writer.encoded() }

  /// Writes the file atomically.
  public func write(to path: String) throws(FileError) { try writer.write(to: path) }
}
