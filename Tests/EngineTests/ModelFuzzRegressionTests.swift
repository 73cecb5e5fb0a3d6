// Replays the committed inputs of the `safetensors` and `model` fuzz targets (Tests/Fuzz/Corpus
// and Tests/Fuzz/Regressions, Docs/FUZZING.md) through the readers with the targets' checks, so
// `swift test` catches a regression of the tensor and model file readers without libFuzzer.

import Common
import Engine
import Foundation
import Testing

@Suite struct ModelFuzzRegressionTests {
  /// The committed inputs of fuzz target `target`: seeds and minimised findings.
  static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
    let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")
    var found: [(String, [UInt8])] = []
    for folder in ["Corpus", "Regressions"] {
      let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(target).path
      for name in FileIO.listDirectory(directory).sorted() {
        if let bytes = try? FileIO.read(directory + "/" + name) { found.append(("\(folder)/\(target)/\(name)", bytes)) }
      }
    }
    return found
  }

  @Test func safetensorsInputsReadWhollyAndSurviveARewrite() throws {
    let inputs = Self.inputs("safetensors")
    #expect(inputs.count > 15)
    var accepted = 0
    for (name, bytes) in inputs {
      guard let file = try? SafetensorsFile.parse(bytes, path: name) else { continue }
      accepted += 1
      var writer = SafetensorsWriter(metadata: file.metadata)
      var kept: [(String, [Float])] = []
      for entry in file.entries {
        let raw = try file.bytes(entry.name)
        let (shape, values) = try file.floats(entry.name)
        #expect(raw.count == entry.range.count && shape == entry.shape && values.count == shape.reduce(1, *), "\(name): \(entry.name)")
        if entry.dtype == .f32 {
          writer.add(entry.name, shape: shape, floats: values)
          kept.append((entry.name, values))
        }
      }
      let again = try SafetensorsFile.parse(writer.encoded(), path: "rewritten")
      #expect(again.metadata == file.metadata, "\(name)")
      for (tensor, values) in kept {
        #expect(try again.floats(tensor).values.elementsEqual(values) { $0.bitPattern == $1.bitPattern }, "\(name): \(tensor)")
      }
    }
    print("safetensors fuzz inputs: \(inputs.count), accepted: \(accepted)")
    #expect(accepted >= 2)
  }

  @Test func modelInputsDecodeOrAreRefusedAndReEncodeUnchanged() throws {
    let inputs = Self.inputs("model")
    #expect(inputs.count > 8)
    var decoded = 0
    for (name, bytes) in inputs {
      guard let model = try? Model.decode(bytes, path: name) else { continue }
      decoded += 1
      let again = try Model.decode(model.encoded(), path: "rewritten")
      #expect(again.architecture == model.architecture, "\(name)")
      #expect(again.parameters.elementsEqual(model.parameters) { $0.bitPattern == $1.bitPattern }, "\(name)")
    }
    print("model fuzz inputs: \(inputs.count), decoded: \(decoded)")
    #expect(decoded >= 2)
  }
}
