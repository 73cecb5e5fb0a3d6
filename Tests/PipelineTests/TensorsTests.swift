// The --tensors work of `fgf analyze` and `fgf train`: reading the input file (and rejecting bad
// ones), dumping logits and input gradients that equal the engine's, gradient dumps with the
// weights' names and shapes, and a short training run from tensors.

import Testing
import Foundation
import Common
import Engine
import Pipeline

@Suite struct TensorsTests {
  static func path(_ name: String) -> String { NSTemporaryDirectory() + "fgf-tensors-\(getpid())-\(name)" }

  static func writeInputs(_ path: String, count: Int, sample: [Int] = [3, 64, 64], directions: Int = 0, split: Bool = false) throws -> [Float] {
    var random = SeededRandom(seed: 21)
    let d = sample.reduce(1, *)
    let x = (0..<(count * d)).map { _ in Float(random.uniform(-1, 1)) }
    var writer = SafetensorsWriter()
    writer.add("x", shape: [count] + sample, floats: x)
    writer.add("label", shape: [count], int64: (0..<count).map { Int64($0 % 2) })
    writer.add("mask", shape: [count] + sample, uint8: [UInt8](repeating: 1, count: count * d))
    if directions > 0 {
      writer.add("directions", shape: [count, directions] + sample, floats: (0..<(count * directions * d)).map { _ in Float(random.normal()) })
    }
    if split { writer.add("split", shape: [count], int64: (0..<count).map { $0 < count - 2 ? 0 : 1 }) }
    try writer.write(to: path)
    return x
  }

  @Test func analysisDumpsLogitsAndGradients() throws {
    let input = Self.path("in.safetensors")
    defer { unlink(input) }
    let x = try Self.writeInputs(input, count: 3)
    let model = try Model(architecture: .fgfCNN(), seed: 2)
    let inputs = try TensorInputs.read(input)
    #expect(inputs.labels == [0, 1, 0])
    let dump = try TensorAnalysis.run(inputs: inputs, model: model, modelPath: "m", threads: 2)
    #expect(dump.names == ["logit", "grad_x"])
    let file = try SafetensorsFile.parse(dump.encoded(), path: "out")
    let expected = model.logitsAndInputGradients(x, count: 3, threads: 1)
    #expect(try file.floats("logit", expectedShape: [3]).values == expected.logits)
    #expect(try file.floats("grad_x", expectedShape: [3, 3, 64, 64]).values == expected.gradients)
  }

  @Test func gradientDumpHasWeightNamesAndShapes() throws {
    let input = Self.path("grad.safetensors")
    defer { unlink(input) }
    let x = try Self.writeInputs(input, count: 4, directions: 2)
    let model = try Model(architecture: .fgfCNN(), seed: 2)
    let inputs = try TensorInputs.read(input)
    let dump = try TensorTraining.gradients(inputs: inputs, model: model, modelPath: "m", lambda: 0.5, threads: 2)
    let file = try SafetensorsFile.parse(dump.encoded(), path: "g")
    for entry in model.layout.entries { #expect(file.entry(entry.name)?.shape == entry.shape) }
    let direct = model.lossAndGradients(x: x, labels: [0, 1, 0, 1], count: 4, positiveWeight: 1, lambda: 0.5,
                                        directions: inputs.directions, threads: 1)
    #expect(try file.floats("conv1.weight").values == Array(direct.gradients[model.layout.entry("conv1.weight")!.range]))
  }

  @Test func trainsFromTensors() throws {
    let input = Self.path("train.safetensors")
    defer { unlink(input) }
    _ = try Self.writeInputs(input, count: 6, sample: [1, 8, 8], split: true)
    let arch = Architecture(input: [1, 8, 8], layers: [
      .conv2d(name: "c", inChannels: 1, outChannels: 2, kernel: 3, padding: 1), .silu, .globalAvgPool,
      .linear(name: "fc", inFeatures: 2, outFeatures: 1)])
    let model = try Model(architecture: arch, seed: 1)
    var request = TrainingRequest()
    request.epochs = 2
    request.batchSize = 2
    var epochs = 0
    let outcome = try TensorTraining.train(inputs: TensorInputs.read(input), model: model, modelPath: "m", request: request,
                                           onEpoch: { _ in epochs += 1 })
    #expect(epochs == 2)
    #expect(outcome.model.parameters != model.parameters)
    #expect(outcome.history.allSatisfy { $0.validationAUC != nil })
    #expect(outcome.validation?.samples == 2 && outcome.test?.samples == 0)
  }

  @Test func rejectsBadInputs() throws {
    let input = Self.path("bad.safetensors")
    defer { unlink(input) }
    var writer = SafetensorsWriter()
    writer.add("x", shape: [2, 3, 64, 64], floats: [Float](repeating: 0, count: 2 * 3 * 64 * 64))
    writer.add("label", shape: [2], floats: [0, 3])
    try writer.write(to: input)
    #expect { try TensorInputs.read(input) } throws: { ($0 as? FileError)?.description.contains("0 or 1") == true }

    var noX = SafetensorsWriter()
    noX.add("y", shape: [1], floats: [0])
    try noX.write(to: input)
    #expect { try TensorInputs.read(input) } throws: { ($0 as? FileError)?.description.contains("tensor x: missing") == true }

    _ = try Self.writeInputs(input, count: 2, sample: [3, 32, 32])
    let model = try Model(architecture: .fgfCNN(), seed: 0)
    #expect { try TensorAnalysis.run(inputs: TensorInputs.read(input), model: model, modelPath: "m") } throws: {
      ($0 as? FileError)?.description.contains("samples are [3, 32, 32]") == true
    }
    // λ > 0 without directions.
    _ = try Self.writeInputs(input, count: 2)
    #expect { try TensorTraining.gradients(inputs: TensorInputs.read(input), model: model, modelPath: "m", lambda: 1) } throws: {
      ($0 as? FileError)?.description.contains("directions") == true
    }
  }
}
