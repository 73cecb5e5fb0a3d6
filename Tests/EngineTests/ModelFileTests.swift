// The model file: save → load gives identical parameters, metadata and outputs; the names and
// shapes are PyTorch's state_dict; and every kind of corrupt file is rejected with an error that
// names the file and the problem.

import Testing
import Foundation
import Common
import Engine

@Suite struct ModelFileTests {
  static func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "fgf-modelfile-\(getpid())-\(name)"
  }

  @Test func saveLoadRoundTrip() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 9)
    model.metadata["fgf.training"] = "{\"lambda\":0.5}"
    let path = Self.temporaryPath("roundtrip.safetensors")
    defer { unlink(path) }
    try model.save(to: path)
    let loaded = try Model.load(path)
    #expect(loaded.architecture == model.architecture)
    #expect(loaded.parameters == model.parameters)
    #expect(loaded.metadata["fgf.training"] == "{\"lambda\":0.5}")
    var random = SeededRandom(seed: 1)
    let x = (0..<(2 * model.inputCount)).map { _ in Float(random.uniform(-1, 1)) }
    let a = model.logitsAndInputGradients(x, count: 2), b = loaded.logitsAndInputGradients(x, count: 2)
    #expect(a.logits == b.logits && a.gradients == b.gradients)
  }

  @Test func stateDictNamesAndShapes() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 0)
    let file = try SafetensorsFile.parse(model.encoded(), path: "m")
    let shapes = Dictionary(uniqueKeysWithValues: file.entries.map { ($0.name, $0.shape) })
    #expect(shapes == ["conv1.weight": [16, 3, 3, 3], "conv1.bias": [16], "conv2.weight": [32, 16, 3, 3], "conv2.bias": [32],
                       "conv3.weight": [64, 32, 3, 3], "conv3.bias": [64], "fc.weight": [1, 64], "fc.bias": [1]])
    #expect(file.entries.allSatisfy { $0.dtype == .f32 })
    #expect(model.layout.count == 23_649)
    // PyTorch default init: |w| ≤ 1/√fan_in (conv1: fan_in 27).
    let conv1 = model.layout.entry("conv1.weight")!
    #expect(model.parameters[conv1.range].allSatisfy { abs($0) <= 1 / Float(27).squareRoot() })
    #expect(try Architecture(json: #require(file.metadata["fgf.arch"])) == .fgfCNN())
  }

  // MARK: corrupt files

  /// A file with the given header JSON and data bytes.
  static func file(header: String, data: [UInt8]) -> [UInt8] {
    var json = Array(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    var bytes = [UInt8]()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes += $0 }
    return bytes + json + data
  }

  static let tinyArch = #"{"input":[1,2,2],"layers":[{"type":"global_avg_pool"},{"type":"linear","name":"fc","in":1,"out":1}]}"#

  static func header(_ tensors: String, arch: String? = tinyArch) -> String {
    let metadata = arch.map { #""__metadata__":{"fgf.arch":"# + JSONValue.quote($0) + "}," } ?? ""
    return "{" + metadata + tensors + "}"
  }

  static let goodTensors = #""fc.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#

  static func expectFailure(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
      _ = try Model.decode(bytes, path: "bad.safetensors")
      Issue.record("accepted a corrupt file (expected: \(fragment))", sourceLocation: sourceLocation)
    } catch {
      #expect(error.path == "bad.safetensors", sourceLocation: sourceLocation)
      #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
    }
  }

  @Test func validTinyFileLoads() throws {
    let model = try Model.decode(Self.file(header: Self.header(Self.goodTensors), data: [UInt8](repeating: 0, count: 8)), path: "ok")
    #expect(model.parameters == [0, 0])
  }

  @Test func rejectsEveryCorruption() {
    let data = [UInt8](repeating: 0, count: 8)
    // Container problems (found by Common's reader, reported through Model.decode).
    Self.expectFailure([1, 2, 3], "shorter than the 8-byte header length")
    var absurd = Self.file(header: Self.header(Self.goodTensors), data: data)
    absurd.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
    Self.expectFailure(absurd, "absurd")
    var pastEnd = Self.file(header: Self.header(Self.goodTensors), data: data)
    pastEnd.replaceSubrange(0..<8, with: [0x00, 0x10, 0, 0, 0, 0, 0, 0])
    Self.expectFailure(pastEnd, "runs past the end")
    Self.expectFailure(Self.file(header: "{\"fc.weight\": [", data: data), "invalid JSON")
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors.replacingOccurrences(of: "\"F32\",\"shape\":[1]", with: "\"Q8\",\"shape\":[1]")), data: data), "unknown dtype")
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors.replacingOccurrences(of: "[4,8]", with: "[2,6]")), data: data), "overlaps")
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors.replacingOccurrences(of: "[4,8]", with: "[4,12]")), data: data), "data_offsets span")
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors), data: [0, 0, 0, 0, 0, 0]), "truncated")
    // Model problems.
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors, arch: nil), data: data), "no fgf.arch")
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors, arch: #"{"input":[1,2,2],"layers":[{"type":"dense"}]}"#), data: data), "unknown layer type")
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors, arch: #"{"input":[1,2,2],"layers":[{"type":"global_avg_pool"},{"type":"linear","name":"fc","in":1,"out":2}]}"#), data: data), "one logit")
    Self.expectFailure(Self.file(header: Self.header(#""fc.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]}"#), data: [0, 0, 0, 0]), "tensor fc.bias: missing")
    Self.expectFailure(Self.file(header: Self.header(Self.goodTensors + #","extra":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}"#), data: data + [0, 0, 0, 0]), "tensor extra: not a parameter")
    Self.expectFailure(Self.file(header: Self.header(#""fc.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#), data: data), "shape [1], the architecture needs [1, 1]")
    Self.expectFailure(Self.file(header: Self.header(#""fc.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}"#), data: data + [0, 0, 0, 0]), "dtype F64, expected F32")
  }

  @Test func missingFileIsAnError() {
    #expect(throws: FileError.self) { try Model.load("/nonexistent/fgf-model.safetensors") }
  }
}
