// The learning-rate schedule and the moving average of the weights: the cosine factor at known
// points, the average against a Double replay of the same run's weights, the schedule against a
// replay with Adam's rate set by hand, and bit-identical resume with both on.

import Testing
import Foundation
import Common
import Engine

@Suite struct TrainingScheduleTests {
  @Test func cosineFactorAtKnownPoints() {
    let cosine = LearningRateSchedule.cosine
    #expect(cosine.factor(step: 0, total: 8) == 1)
    #expect(abs(cosine.factor(step: 4, total: 8) - 0.5) < 1e-15)
    #expect(abs(cosine.factor(step: 2, total: 8) - (1 + 0.5.squareRoot()) / 2) < 1e-15)  // ½(1 + cos π/4)
    #expect(abs(cosine.factor(step: 8, total: 8)) < 1e-15)
    #expect(LearningRateSchedule.constant.factor(step: 5, total: 8) == 1)
  }

  @Test func quarterTurnsRotateCounterclockwise() {
    let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]  // rows [1 2 3] [4 5 6] [7 8 9]
    func turn(_ k: Int, _ v: [Float], flip: Bool = false) -> [Float] {
      Augmentation(flip: flip, dy: 0, dx: 0, quarterTurns: k).apply(v, channels: 1, height: 3, width: 3, fill: 0)
    }
    #expect(turn(1, x) == [3, 6, 9, 2, 5, 8, 1, 4, 7])
    #expect(turn(2, x) == [9, 8, 7, 6, 5, 4, 3, 2, 1])
    #expect(turn(3, x) == [7, 4, 1, 8, 5, 2, 9, 6, 3])
    #expect(turn(1, turn(1, turn(1, turn(1, x)))) == x)
    #expect(turn(1, x, flip: true) == [9, 6, 3, 8, 5, 2, 7, 4, 1])  // turned, then mirrored
    // Without rotation the draws are the ones made before rotation existed.
    var a = SeededRandom(seed: 8), b = SeededRandom(seed: 8)
    for _ in 0..<50 {
      let plain = Augmentation.draw(&a, maxShift: 4)
      let turned = Augmentation.draw(&b, maxShift: 4, rotate: true)
      #expect(plain.flip == turned.flip && plain.dx == turned.dx && plain.dy == turned.dy)
      b = a  // keep the streams together
    }
    var random = SeededRandom(seed: 9)
    let counts = (0..<400).reduce(into: [0, 0, 0, 0]) { c, _ in c[Augmentation.draw(&random, maxShift: 2, rotate: true).quarterTurns] += 1 }
    #expect(counts.allSatisfy { $0 > 60 })
  }

  @Test func averageDecayWarmsUp() {
    #expect(WeightAverage.decay(0.98, afterStep: 1) == 2.0 / 11)
    #expect(WeightAverage.decay(0.98, afterStep: 10) == 11.0 / 20)
    #expect(WeightAverage.decay(0.98, afterStep: 10_000) == 0.98)
    var average: [Float] = [0, 1]
    WeightAverage.update(&average, with: [1, 3], decay: 0.5, step: 100)
    #expect(average == [0.5, 2])
  }

  /// One batch per epoch, so each epoch's committed weights are one Adam step apart and the
  /// trajectory can be read from a run without the average (the average does not steer training).
  @Test func averageMatchesReplayOfTheWeights() throws {
    let model = try Model(architecture: TrainingTests.tinyArchitecture, seed: 21)
    let train = TrainingTests.toySamples(12, seed: 22, n: 64, directions: false)
    let validation = TrainingTests.toySamples(8, seed: 23, n: 64, directions: false)
    var config = TrainingConfiguration(epochs: 6, batchSize: 12, seed: 3, positiveWeight: 1, augment: true, threads: 2)
    config.adam.learningRate = 0.02
    let plain = Trainer(model: model, training: train, validation: validation, configuration: config)
    var trajectory: [[Float]] = []
    _ = try plain.run(onEpoch: { _ in trajectory.append(plain.state.parameters) })

    config.weightAverage = 0.9
    let averaged = Trainer(model: model, training: train, validation: validation, configuration: config)
    var averages: [[Float]] = []
    let outcome = try averaged.run(onEpoch: { _ in averages.append(averaged.state.evaluatedParameters) })
    #expect(averaged.state.parameters == plain.state.parameters)

    var reference = model.parameters.map(Double.init)
    var worst = 0.0
    for (step, weights) in trajectory.enumerated() {
      let d = min(0.9, Double(2 + step) / Double(11 + step))
      for i in reference.indices { reference[i] = d * reference[i] + (1 - d) * Double(weights[i]) }
      worst = max(worst, zip(averages[step], reference).map { abs(Double($0) - $1) }.max() ?? 0)
    }
    print("weight average vs Double replay: max |Δ| \(worst)")
    #expect(worst < 1e-6)
    // What is kept is the average at the best epoch.
    let best = try #require(outcome.bestEpoch)
    #expect(outcome.model.parameters == averages[best - 1])
    #expect(outcome.model.metadata["fgf.training"]?.contains("\"weight_average\":0.9") == true)
  }

  /// The cosine run against the same steps taken by hand: Adam with its rate set per step.
  @Test func cosineScheduleMatchesHandReplay() throws {
    let model = try Model(architecture: TrainingTests.tinyArchitecture, seed: 31)
    let train = TrainingTests.toySamples(10, seed: 32, n: 64, directions: false)
    var config = TrainingConfiguration(epochs: 4, batchSize: 5, seed: 4, positiveWeight: 1, augment: false, threads: 1)
    config.adam.learningRate = 0.05
    config.schedule = .cosine
    let trainer = Trainer(model: model, training: train, validation: [], configuration: config)
    _ = try trainer.run()

    let replay = model.copy()
    var adam = Adam(parameterCount: replay.layout.count, settings: config.adam)
    let total = config.epochs * 2
    for epoch in 1...config.epochs {
      var random = SeededRandom(seed: config.seed, stream: UInt64(epoch))
      var order = Array(train.indices)
      random.shuffle(&order)
      for batch in 0..<2 {
        let members = order[(batch * 5)..<((batch + 1) * 5)]
        let result = replay.lossAndGradients(x: members.flatMap { train[$0].x }, labels: members.map { train[$0].label },
                                             count: 5, positiveWeight: 1, lambda: 0, directions: nil, threads: 1)
        let step = (epoch - 1) * 2 + batch
        adam.settings.learningRate = 0.05 * (0.5 * (1 + cos(Double.pi * Double(step) / Double(total))))
        adam.update(&replay.parameters, gradients: result.gradients)
      }
    }
    let difference = zip(trainer.state.parameters, replay.parameters).map { abs($0 - $1) }.max() ?? 0
    print("cosine schedule vs hand replay: max |Δ| \(difference)")
    #expect(difference == 0)
  }

  @Test func onlyQualifyingEpochsAreKept() throws {
    let model = try Model(architecture: TrainingTests.tinyArchitecture, seed: 51)
    let train = TrainingTests.toySamples(24, seed: 52, n: 64, directions: false)
    let validation = TrainingTests.toySamples(12, seed: 53, n: 64, directions: false)
    var config = TrainingConfiguration(epochs: 6, batchSize: 8, seed: 2, positiveWeight: 1, augment: false, threads: 2)
    config.adam.learningRate = 0.02
    var asked = 0
    let outcome = try Trainer(model: model, training: train, validation: validation, configuration: config)
      .run(qualifies: { _ in asked += 1; return asked >= 4 })  // epochs 4, 5, 6 qualify
    #expect(asked == 6)
    let best = try #require(outcome.bestEpoch)
    let aucs = outcome.history.map { $0.validationAUC ?? -1 }
    let expected = (3..<6).max { aucs[$0] < aucs[$1] || (aucs[$0] == aucs[$1] && $0 > $1) }.map { $0 + 1 }
    #expect(best == expected)
    #expect(outcome.history.prefix(3).allSatisfy { !$0.isBest })
  }

  @Test func resumeWithScheduleAndAverageIsBitIdentical() throws {
    let model = try Model(architecture: TrainingTests.tinyArchitecture, seed: 41)
    let train = TrainingTests.toySamples(20, seed: 42, n: 64, directions: false)
    let validation = TrainingTests.toySamples(8, seed: 43, n: 64, directions: false)
    var config = TrainingConfiguration(epochs: 3, batchSize: 6, seed: 9, positiveWeight: 1, threads: 2)
    config.schedule = .cosine
    config.weightAverage = 0.95
    let uninterrupted = try Trainer(model: model, training: train, validation: validation, configuration: config).run()

    let checkpoint = NSTemporaryDirectory() + "fgf-schedule-checkpoint-\(getpid()).safetensors"
    defer { unlink(checkpoint) }
    var batches = 0
    let stopped = try Trainer(model: model, training: train, validation: validation, configuration: config)
      .run(checkpoint: checkpoint, onBatch: { _ in batches += 1 }, isCancelled: { batches == 6 })
    #expect(stopped.cancelled)
    let resumed = try Trainer(resumingFrom: checkpoint, training: train, validation: validation, configuration: config)
      .run(checkpoint: checkpoint)
    #expect(resumed.model.parameters == uninterrupted.model.parameters)
    #expect(resumed.history == uninterrupted.history)

    // Under a schedule the epoch count sets the schedule, so it may not change on resume.
    var longer = config
    longer.epochs = 5
    #expect(throws: FileError.self) {
      _ = try Trainer(resumingFrom: checkpoint, training: train, validation: validation, configuration: longer)
    }
  }
}
