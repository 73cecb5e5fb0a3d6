// Fuzz target `safetensors`: the tensor file reader (SafetensorsFile.parse) on any bytes. A file
// it accepts must give every tensor's bytes and values, and writing its F32/U8 tensors and
// metadata back out must give a file that reads back the same.

import Common

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = fuzzBytes(data, size)
  guard let file = try? SafetensorsFile.parse(bytes, path: "input.safetensors") else { return 0 }
  var writer = SafetensorsWriter(metadata: file.metadata)
  var kept: [(name: String, values: [Float])] = []
  for entry in file.entries {
    guard let raw = try? file.bytes(entry.name), let (shape, values) = try? file.floats(entry.name) else {
      require(false, "tensor \(entry.name) is listed but cannot be read")
      return 0
    }
    require(raw.count == entry.range.count, "tensor \(entry.name): \(raw.count) bytes for range \(entry.range)")
    require(shape == entry.shape && values.count == shape.reduce(1, *), "tensor \(entry.name): \(values.count) values for shape \(shape)")
    if entry.dtype == .f32 {
      writer.add(entry.name, shape: shape, floats: values)
      kept.append((entry.name, values))
    } else if entry.dtype == .u8 {
      writer.add(entry.name, shape: shape, uint8: Array(raw))
      kept.append((entry.name, values))
    }
  }
  guard let again = try? SafetensorsFile.parse(writer.encoded(), path: "rewritten.safetensors") else {
    require(false, "the rewritten file is refused")
    return 0
  }
  require(again.metadata == file.metadata, "metadata changed in the round trip")
  for (name, values) in kept {
    let back = try? again.floats(name).values
    require(back.map { $0.elementsEqual(values) { $0.bitPattern == $1.bitPattern } } == true, "tensor \(name) changed in the round trip")
  }
  return 0
}
