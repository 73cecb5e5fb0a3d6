// Training: Adam against PyTorch's update formula, augmentation on hand-built arrays, ROC AUC
// against textbook values, and the trainer — it learns a separable toy problem, and a run
// interrupted and resumed from its checkpoint ends bit-identical to an uninterrupted one.

import Testing
import Foundation
import Common
import Engine

@Suite struct TrainingTests {
  @Test func adamMatchesPyTorchFormula() {
    var adam = Adam(parameterCount: 3)
    var p: [Float] = [0.5, -1, 2]
    let gradients: [[Float]] = [[0.1, -0.2, 0], [0.3, 0.1, -1]]
    // Reference in Double: m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²; p −= lr/(1−β1ᵗ) · m/(√v/√(1−β2ᵗ) + ε).
    var m = [Double](repeating: 0, count: 3), v = m, reference = p.map(Double.init)
    for (t, g) in gradients.enumerated() {
      adam.update(&p, gradients: g)
      let step = Double(t + 1)
      for i in 0..<3 {
        m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
        v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
        reference[i] -= 1e-3 / (1 - pow(0.9, step)) * m[i] / (v[i].squareRoot() / (1 - pow(0.999, step)).squareRoot() + 1e-8)
      }
    }
    let difference = zip(p, reference).map { abs(Double($0) - $1) }.max() ?? 0
    print("Adam: max |Δ| vs Double reference \(difference)")
    #expect(difference < 1e-7)
    #expect(adam.step == 2)
    // First step moves each parameter with a nonzero gradient by lr against its sign.
    #expect(abs(Double(p[2]) - (2 + 1e-3)) < 1e-3)
  }

  @Test func augmentationFlipsAndShifts() {
    // One channel, 2×3: rows [1 2 3] [4 5 6].
    let x: [Float] = [1, 2, 3, 4, 5, 6]
    #expect(Augmentation(flip: true, dy: 0, dx: 0).apply(x, channels: 1, height: 2, width: 3, fill: -1) == [3, 2, 1, 6, 5, 4])
    #expect(Augmentation(flip: false, dy: 1, dx: 0).apply(x, channels: 1, height: 2, width: 3, fill: -1) == [-1, -1, -1, 1, 2, 3])
    #expect(Augmentation(flip: false, dy: 0, dx: -1).apply(x, channels: 1, height: 2, width: 3, fill: 0) == [2, 3, 0, 5, 6, 0])
    #expect(Augmentation(flip: true, dy: 0, dx: 1).apply(x, channels: 1, height: 2, width: 3, fill: 0) == [0, 3, 2, 0, 6, 5])
    var random = SeededRandom(seed: 1)
    for _ in 0..<100 {
      let a = Augmentation.draw(&random, maxShift: 4)
      #expect((-4...4).contains(a.dx) && (-4...4).contains(a.dy))
    }
  }

  @Test func rocAUCTextbookValues() {
    #expect(rocAUC(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)  // scikit-learn's example
    #expect(rocAUC(scores: [1.0, 2, 3, 4], labels: [0, 0, 1, 1]) == 1)
    #expect(rocAUC(scores: [4.0, 3, 2, 1], labels: [0, 0, 1, 1]) == 0)
    #expect(rocAUC(scores: [1.0, 1, 1, 1], labels: [0, 1, 0, 1]) == 0.5)
    #expect(rocAUC(scores: [0.5, 0.5, 0.9, 0.1], labels: [1, 0, 1, 0]) == 0.875)  // one tied pair counts ½
    #expect(rocAUC(scores: [Float(1), 2], labels: [1, 1]) == nil)
    #expect(rocAUC(scores: [1.0, .nan], labels: [0, 1]) == nil)
    #expect(rocAUC(scores: [1.0, 2], labels: [0, 2]) == nil)
  }

  /// A toy problem a tiny network separates: label 1 when the image is bright in its centre.
  static func toySamples(_ count: Int, seed: UInt64, n: Int, directions: Bool) -> [TrainingSample] {
    var random = SeededRandom(seed: seed)
    return (0..<count).map { i in
      let label = i % 2
      var x = (0..<n).map { _ in Float(random.uniform(-0.5, 0.5)) }
      for j in 0..<n where j % 64 >= 18 && j % 64 < 46 { x[j] += label == 1 ? 0.6 : -0.6 }
      let d: DirectionSet = directions ? [(0..<n).map { _ in Float(random.normal()) }] : []
      return TrainingSample(x: x, label: label, directions: d)
    }
  }

  static let tinyArchitecture = Architecture(input: [1, 8, 8], layers: [
    .conv2d(name: "conv1", inChannels: 1, outChannels: 4, kernel: 3, padding: 1), .silu, .maxPool2d(size: 2),
    .globalAvgPool, .linear(name: "fc", inFeatures: 4, outFeatures: 1)])

  @Test func trainerLearnsToyProblem() throws {
    let model = try Model(architecture: Self.tinyArchitecture, seed: 1)
    let train = Self.toySamples(48, seed: 2, n: 64, directions: false)
    let validation = Self.toySamples(16, seed: 3, n: 64, directions: false)
    var config = TrainingConfiguration(epochs: 15, batchSize: 8, seed: 5, positiveWeight: 1, augment: false, threads: 2)
    config.adam.learningRate = 0.02
    var batches = 0
    let outcome = try Trainer(model: model, training: train, validation: validation, configuration: config)
      .run(onBatch: { _ in batches += 1 })
    #expect(batches == 15 * 6)
    let first = try #require(outcome.history.first), last = try #require(outcome.history.last)
    print("toy training: loss \(first.loss) → \(last.loss), best val AUC \(outcome.history.compactMap(\.validationAUC).max() ?? .nan)")
    #expect(last.loss < first.loss * 0.8)
    #expect((outcome.history.compactMap(\.validationAUC).max() ?? 0) > 0.9)
    #expect(outcome.model.metadata["fgf.metrics"]?.contains("best_epoch") == true)
    // The returned model is the best epoch's.
    let best = try #require(outcome.bestEpoch)
    #expect(outcome.history[best - 1].isBest)
  }

  @Test func resumeIsBitIdentical() throws {
    let model = try Model(architecture: Self.tinyArchitecture, seed: 11)
    let train = Self.toySamples(20, seed: 4, n: 64, directions: true)
    let validation = Self.toySamples(8, seed: 6, n: 64, directions: true)
    let config = TrainingConfiguration(epochs: 3, batchSize: 6, seed: 9, lambda: 0.5, positiveWeight: 1.2, threads: 2)
    let uninterrupted = try Trainer(model: model, training: train, validation: validation, configuration: config).run()

    let checkpoint = NSTemporaryDirectory() + "fgf-checkpoint-\(getpid()).safetensors"
    defer { unlink(checkpoint) }
    // Stop during epoch 2: the checkpoint holds epoch 1.
    var batches = 0
    let stopped = try Trainer(model: model, training: train, validation: validation, configuration: config)
      .run(checkpoint: checkpoint, onBatch: { _ in batches += 1 }, isCancelled: { batches == 5 })
    #expect(stopped.cancelled)
    #expect(stopped.history.count == 1)
    var resumedConfig = config
    resumedConfig.threads = 1
    let resumedTrainer = try Trainer(resumingFrom: checkpoint, training: train, validation: validation, configuration: resumedConfig)
    #expect(resumedTrainer.state.completedEpochs == 1)
    let resumed = try resumedTrainer.run(checkpoint: checkpoint)
    #expect(resumed.model.parameters == uninterrupted.model.parameters)
    #expect(resumedTrainer.state.parameters == uninterrupted.model.parameters || resumed.bestEpoch != 3)
    #expect(resumed.history == uninterrupted.history)
    #expect(resumed.bestEpoch == uninterrupted.bestEpoch)

    // A different seed is refused.
    var other = config
    other.seed = 10
    #expect(throws: FileError.self) {
      _ = try Trainer(resumingFrom: checkpoint, training: train, validation: validation, configuration: other)
    }
  }
}
