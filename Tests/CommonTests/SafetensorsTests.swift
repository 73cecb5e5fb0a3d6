// Tests of the safetensors reader and writer: round trips and every malformed-file case.
import Testing
import Common
import Foundation

@Suite struct SafetensorsTests {
  func sample() -> SafetensorsWriter {
    var writer = SafetensorsWriter(metadata: ["fgf.arch": "{\"x\":1}"])
    writer.add("w", shape: [2, 3], floats: [1, -2, 3.5, 0, .infinity, -0.0])
    writer.add("m", shape: [3], uint8: [0, 1, 255])
    writer.add("n", shape: [2], int64: [-7, 1 << 40])
    return writer
  }

  @Test func roundTripKeepsValuesShapesAndMetadata() throws {
    let bytes = sample().encoded()
    #expect((Int(bytes[0]) + 8) % 8 == 0)
    let file = try SafetensorsFile.parse(bytes, path: "t.safetensors")
    #expect(file.metadata == ["fgf.arch": "{\"x\":1}"])
    let w = try file.floats("w", expectedShape: [-1, 3])
    #expect(w.shape == [2, 3])
    #expect(w.values.map(\.bitPattern) == [1, -2, 3.5, 0, Float.infinity, -0.0].map { Float($0).bitPattern })
    #expect(try file.floats("m").values == [0, 1, 255])
    #expect(try file.floats("n").values == [-7, Float(1 << 40)])
    #expect(file.entry("m")?.dtype == .u8)
  }

  @Test func atomicWriteAndReadBack() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fgf-st-\(getpid()).safetensors").path
    defer { unlink(path) }
    try sample().write(to: path)
    try sample().write(to: path)  // replacing an existing file
    #expect(try SafetensorsFile.read(path).entries.count == 3)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
      .filter { $0.hasPrefix("fgf-st-\(getpid()).safetensors.tmp") }
    #expect(leftovers.isEmpty)
  }

  @Test func readsPyTorchStyleDTypes() throws {
    // A header written by hand as PyTorch's safetensors would: F16, BF16, F64, I32, BOOL.
    let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]},"d":{"dtype":"F64","shape":[1],"data_offsets":[6,14]},"i":{"dtype":"I32","shape":[1],"data_offsets":[14,18]},"t":{"dtype":"BOOL","shape":[2],"data_offsets":[18,20]}}"#
    var data: [UInt8] = [0x00, 0x3C, 0x00, 0xC0]           // f16 1.0, -2.0
    data += [0x40, 0x40]                                     // bf16 3.0
    data += withUnsafeBytes(of: (0.25 as Double).bitPattern.littleEndian, Array.init)
    data += withUnsafeBytes(of: Int32(-5).littleEndian, Array.init)
    data += [1, 0]
    let bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8) + data
    let file = try SafetensorsFile.parse(bytes, path: "p")
    #expect(try file.floats("h").values == [1, -2])
    #expect(try file.floats("b").values == [3])
    #expect(try file.floats("d").values == [0.25])
    #expect(try file.floats("i").values == [-5])
    #expect(try file.floats("t").values == [1, 0])
  }

  /// A file with header `json` and `dataCount` zero bytes of data.
  func file(_ json: String, dataCount: Int, declaredLength: UInt64? = nil) -> [UInt8] {
    let length = declaredLength ?? UInt64(json.utf8.count)
    return withUnsafeBytes(of: length.littleEndian, Array.init) + Array(json.utf8) + [UInt8](repeating: 0, count: dataCount)
  }

  @Test(arguments: [
    ("short", [UInt8](repeating: 0, count: 5), "shorter than"),
    ("absurd", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B, 0x7D], "absurd"),
    ("past end", [100, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D], "past the end"),
  ])
  func rejectsBadHeaderLength(_ name: String, _ bytes: [UInt8], _ expected: String) {
    #expect {
      try SafetensorsFile.parse(bytes, path: "bad.safetensors")
    } throws: { error in
      let text = "\(error)"
      return text.contains("bad.safetensors") && text.contains(expected)
    }
  }

  @Test(arguments: [
    (#"{"a":"#, 0, "invalid JSON"),
    (#"[1,2]"#, 0, "not a JSON object"),
    (#"{"a":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}"#, 4, "unknown dtype"),
    (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, 4, "needs 8"),
    (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 2, "truncated"),
    (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, 6, "overlaps"),
    (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "gap"),
    (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 9, "belong to none"),
    (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "non-negative"),
    (#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, 4, "too large"),
    (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, 4, "data_offsets"),
    (#"{"a":{"dtype":"F32","shape":[1]}}"#, 4, "data_offsets"),
    (#"{"__metadata__":{"k":1}}"#, 0, "must be strings"),
    (#"{"a":5}"#, 0, "not an object"),
  ])
  func rejectsInconsistentHeaders(_ json: String, _ dataCount: Int, _ expected: String) {
    #expect {
      try SafetensorsFile.parse(file(json, dataCount: dataCount), path: "bad.safetensors")
    } throws: { error in
      "\(error)".contains(expected)
    }
  }

  @Test func missingTensorNamesTheFile() throws {
    let parsed = try SafetensorsFile.parse(sample().encoded(), path: "m.safetensors")
    #expect { try parsed.floats("nope") } throws: { "\($0)".contains("m.safetensors") && "\($0)".contains("missing") }
    #expect { try parsed.floats("w", expectedShape: [3, 2]) } throws: { "\($0)".contains("expected") }
  }

  @Test func everyTruncationOfAValidFileIsRejected() throws {
    let bytes = sample().encoded()
    for cut in 0..<bytes.count {
      #expect(throws: FileError.self) { try SafetensorsFile.parse(Array(bytes[..<cut]), path: "cut") }
    }
  }
}
