// The model file: one safetensors file whose tensors are the equivalent PyTorch module's
// state_dict (names, shapes, float32 little-endian) and whose `__metadata__` holds `fgf.arch`
// (the layer list) and the other fgf.* JSON strings. Written atomically; read with checks that
// name the file and the problem (Common's reader already rejects malformed containers).

import Common

extension Model {
  /// Metadata key of the architecture JSON.
  public static let architectureKey = "fgf.arch"

  /// The complete file contents.
  public func encoded() -> [UInt8] {
    var writer = SafetensorsWriter(metadata: metadata)
    writer.setMetadata(Model.architectureKey, architecture.json)
    for entry in layout.entries {
      writer.add(entry.name, shape: entry.shape, floats: Array(parameters[entry.range]))
    }
    return writer.encoded()
  }

  /// Writes the model file atomically (temporary file, fsync, rename).
  public func save(to path: String) throws(FileError) {
    try FileIO.writeAtomically(encoded(), to: path)
  }

  /// Reads a model file: `fgf.arch` must be present and valid, and the tensors must be exactly
  /// the architecture's parameters, each F32 with its PyTorch shape.
  public static func load(_ path: String) throws(FileError) -> Model {
    try decode(FileIO.read(path, limit: 1 << 32), path: path)
  }

  /// Parses model file bytes; `path` names the file in errors.
  public static func decode(_ bytes: [UInt8], path: String) throws(FileError) -> Model {
    let file = try SafetensorsFile.parse(bytes, path: path)
    guard let archText = file.metadata[architectureKey] else {
      throw FileError(path: path, place: "__metadata__", problem: "no \(architectureKey) entry: not an fgf model file",
                      hint: "fgf model files record their layer list in __metadata__.\(architectureKey)")
    }
    let architecture: Architecture
    do {
      architecture = try Architecture(json: archText)
    } catch {
      throw FileError(path: path, place: "__metadata__.\(architectureKey)", problem: "invalid architecture: \(error)")
    }
    let layout = ParameterLayout(architecture)
    let expected = Set(layout.entries.map(\.name))
    for entry in file.entries where !expected.contains(entry.name) {
      throw FileError(path: path, place: "tensor \(entry.name)", problem: "not a parameter of the architecture",
                      hint: "expected exactly: \(layout.entries.map(\.name).joined(separator: ", "))")
    }
    var parameters = [Float]()
    parameters.reserveCapacity(layout.count)
    for entry in layout.entries {
      guard let stored = file.entry(entry.name) else {
        throw FileError(path: path, place: "tensor \(entry.name)", problem: "missing (the architecture needs it with shape \(entry.shape))")
      }
      guard stored.dtype == .f32 else {
        throw FileError(path: path, place: "tensor \(entry.name)", problem: "dtype \(stored.dtype.rawValue), expected F32")
      }
      guard stored.shape == entry.shape else {
        throw FileError(path: path, place: "tensor \(entry.name)", problem: "shape \(stored.shape), the architecture needs \(entry.shape)")
      }
      parameters += try file.floats(entry.name).values
    }
    do {
      return try Model(architecture: architecture, parameters: parameters, metadata: file.metadata)
    } catch {
      throw FileError(path: path, problem: "\(error)")
    }
  }
}
