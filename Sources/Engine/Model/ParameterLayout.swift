// ParameterLayout: the offset table of the flat parameter buffer — each state_dict tensor's name,
// PyTorch shape and place — so zero-grad, Adam, save/load and gradient checks are single loops.

/// One parameter tensor in the flat buffer.
public struct ParameterEntry: Sendable, Equatable {
  /// state_dict name, e.g. "conv1.weight".
  public var name: String
  /// The layer's name, e.g. "conv1".
  public var layer: String
  public var shape: [Int]
  public var offset: Int
  public var count: Int { shape.reduce(1, *) }
  public var range: Range<Int> { offset..<(offset + count) }
}

public struct ParameterLayout: Sendable, Equatable {
  public let entries: [ParameterEntry]
  /// Total number of parameters.
  public let count: Int

  public init(_ architecture: Architecture) {
    var entries: [ParameterEntry] = []
    var offset = 0
    for (name, shape) in architecture.parameterShapes {
      let layer = String(name.split(separator: ".").first ?? "")
      entries.append(ParameterEntry(name: name, layer: layer, shape: shape, offset: offset))
      offset += shape.reduce(1, *)
    }
    self.entries = entries
    self.count = offset
  }

  /// The entry named `name`, or nil.
  public func entry(_ name: String) -> ParameterEntry? { entries.first { $0.name == name } }
}
