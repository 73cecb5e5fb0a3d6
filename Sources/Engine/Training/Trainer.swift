// Trainer: the training loop. Each epoch shuffles the training samples with a generator seeded by
// (seed, epoch), cuts batches of `batchSize` (the last may be smaller), augments each sample
// (flip, shift: input, mask and directions alike), takes the exact gradient of BCE_w + λ·penalty
// and an Adam step; checks for cancellation after every batch; then scores the validation set
// (ROC AUC, BCE_w), keeps the best epoch's parameters (highest AUC, earliest on ties; the latest
// epoch when no AUC exists) and saves a checkpoint. Resuming from that checkpoint continues
// bit-identically.

import Common

public final class Trainer {
  public let architecture: Architecture
  public let configuration: TrainingConfiguration
  public private(set) var state: TrainerState
  private let model: Model
  private let training: [TrainingSample]
  private let validation: [TrainingSample]

  /// A new run from `model`'s parameters (the model itself is not modified).
  public init(model: Model, training: [TrainingSample], validation: [TrainingSample], configuration: TrainingConfiguration) {
    precondition(configuration.batchSize >= 1 && configuration.epochs >= 0 && configuration.maxShift >= 0, "invalid configuration")
    let n = model.inputCount
    precondition((training + validation).allSatisfy { $0.x.count == n && ($0.mask?.count ?? n) == n && $0.directions.allSatisfy { $0.count == n } },
                 "every sample and direction must have the model's input size")
    self.model = model.copy()
    self.architecture = model.architecture
    self.configuration = configuration
    self.training = training
    self.validation = validation
    state = TrainerState(parameters: model.parameters, adam: Adam(parameterCount: model.layout.count, settings: configuration.adam),
                         completedEpochs: 0, bestEpoch: nil, bestAUC: nil, bestParameters: model.parameters, history: [])
    if configuration.weightAverage > 0 { state.averagedParameters = model.parameters }
  }

  /// Continues the run saved in `checkpoint`. The configuration may differ only in `epochs` and
  /// `threads`; the samples must be the same as before.
  public convenience init(resumingFrom checkpoint: String, training: [TrainingSample], validation: [TrainingSample],
                          configuration: TrainingConfiguration, metadata: [String: String] = [:]) throws(FileError) {
    let (state, architecture, saved) = try TrainerState.load(checkpoint, adam: configuration.adam,
                                                             averaged: configuration.weightAverage > 0)
    var expected = configuration.json
    var stored = saved
    // Only the epoch count may change, and not under a schedule (it sets the schedule's length).
    if configuration.schedule == .constant {
      if case let .object(members) = expected { expected = .object(members.filter { $0.key != "epochs" }) }
      if case let .object(members) = stored { stored = .object(members.filter { $0.key != "epochs" }) }
    }
    guard expected == stored else {
      throw FileError(path: checkpoint, place: "__metadata__.\(TrainerState.checkpointKey)",
                      problem: "made with a different configuration: \(saved.serialized)",
                      hint: "resume with the same seed, batch size, λ, positive weight, Adam, schedule, averaging and augmentation settings (and the same epochs under a schedule)")
    }
    let model: Model
    do { model = try Model(architecture: architecture, parameters: state.parameters, metadata: metadata) } catch {
      throw FileError(path: checkpoint, problem: "\(error)")
    }
    self.init(model: model, training: training, validation: validation, configuration: configuration)
    self.state = state
  }

  /// Runs the remaining epochs. `checkpoint`: where to save the state after each epoch.
  /// `isCancelled` is checked after every batch. `qualifies`, if given, is asked about each
  /// epoch's evaluated parameters: only epochs it accepts can be kept (the best validation AUC
  /// among them); it must be deterministic and the same on resume, or resuming is not exact.
  public func run(checkpoint: String? = nil,
                  onBatch: ((BatchReport) -> Void)? = nil,
                  onEpoch: ((EpochReport) -> Void)? = nil,
                  isCancelled: (() -> Bool)? = nil,
                  qualifies: (([Float]) -> Bool)? = nil) throws(FileError) -> TrainingOutcome {
    let config = configuration
    let shape = architecture.input
    let batches = (training.count + config.batchSize - 1) / config.batchSize
    var cancelled = false
    epochs: while state.completedEpochs < config.epochs {
      let epoch = state.completedEpochs + 1
      var random = SeededRandom(seed: config.seed, stream: UInt64(epoch))
      var order = Array(training.indices)
      random.shuffle(&order)
      model.parameters = state.parameters
      // Adam's state is committed only with a completed epoch, like the parameters.
      var adam = state.adam
      var average = state.averagedParameters
      var sums = (loss: 0.0, crossEntropy: 0.0, penalty: 0.0, skipped: 0)
      for batch in 0..<batches {
        let members = order[(batch * config.batchSize)..<min(training.count, (batch + 1) * config.batchSize)]
        var x: [Float] = [], labels: [Int] = [], directions: [DirectionSet] = []
        x.reserveCapacity(members.count * model.inputCount)
        for index in members {
          let sample = training[index]
          let augmentation = config.augment ? Augmentation.draw(&random, maxShift: config.maxShift, rotate: config.rotate) : .identity
          x += augmentation.apply(sample.x, channels: shape[0], height: shape[1], width: shape[2], fill: -1)
          labels.append(sample.label)
          directions.append(config.lambda > 0
            ? sample.directions.map { augmentation.apply($0, channels: shape[0], height: shape[1], width: shape[2], fill: 0) }
            : [])
        }
        let result = model.lossAndGradients(x: x, labels: labels, count: members.count, positiveWeight: config.positiveWeight,
                                            lambda: config.lambda, directions: config.lambda > 0 ? directions : nil,
                                            threads: config.threads)
        adam.settings.learningRate = config.adam.learningRate
          * config.schedule.factor(step: (epoch - 1) * batches + batch, total: config.epochs * batches)
        adam.update(&model.parameters, gradients: result.gradients)
        if var current = average.take() {  // take() leaves one owner, so the update is in place
          WeightAverage.update(&current, with: model.parameters, decay: config.weightAverage, step: adam.step)
          average = current
        }
        sums.loss += result.loss; sums.crossEntropy += result.crossEntropy
        sums.penalty += result.penalty; sums.skipped += result.penaltySkipped
        onBatch?(BatchReport(epoch: epoch, batch: batch, batches: batches, loss: result.loss))
        if isCancelled?() == true {
          cancelled = true
          break epochs
        }
      }
      state.parameters = model.parameters
      state.adam = adam
      state.averagedParameters = average
      let (auc, validationLoss) = evaluateValidation(state.evaluatedParameters)
      let improved: Bool
      if let qualifies, !qualifies(state.evaluatedParameters) {
        improved = false
      } else if let auc {
        improved = state.bestAUC.map { auc > $0 } ?? true
      } else {
        improved = state.bestAUC == nil
      }
      if improved {
        state.bestEpoch = epoch
        state.bestAUC = auc
        state.bestParameters = state.evaluatedParameters
      }
      let divisor = Double(max(batches, 1))
      let report = EpochReport(epoch: epoch, loss: sums.loss / divisor, crossEntropy: sums.crossEntropy / divisor,
                               penalty: sums.penalty / divisor, penaltySkipped: sums.skipped,
                               validationAUC: auc, validationLoss: validationLoss, isBest: improved)
      state.history.append(report)
      state.completedEpochs = epoch
      if let checkpoint { try FileIO.writeAtomically(state.encoded(architecture: architecture, configuration: config), to: checkpoint) }
      onEpoch?(report)
    }
    return outcome(cancelled: cancelled)
  }

  /// Validation AUC and mean BCE_w with `parameters`.
  private func evaluateValidation(_ parameters: [Float]) -> (Double?, Double?) {
    guard !validation.isEmpty else { return (nil, nil) }
    let training = model.parameters
    model.parameters = parameters
    defer { model.parameters = training }
    let logits = model.logits(validation.flatMap(\.x), count: validation.count, threads: configuration.threads)
    let labels = validation.map(\.label)
    var loss = 0.0
    for (f, y) in zip(logits, labels) {
      loss += BinaryCrossEntropy.loss(logit: Double(f), label: y, positiveWeight: configuration.positiveWeight)
    }
    return (rocAUC(scores: logits, labels: labels), loss / Double(validation.count))
  }

  private func outcome(cancelled: Bool) -> TrainingOutcome {
    let best = model.copy()
    best.parameters = state.bestParameters
    best.metadata["fgf.training"] = configuration.json.serialized
    var metrics: [(key: String, value: JSONValue)] = [("epochs_completed", .number(state.completedEpochs))]
    if let epoch = state.bestEpoch {
      metrics.append(("best_epoch", .number(epoch)))
      let report = state.history.first { $0.epoch == epoch }
      metrics.append(("val_auc", report?.validationAUC.map { JSONValue.number($0) } ?? .null))
      metrics.append(("val_loss", report?.validationLoss.map { JSONValue.number($0) } ?? .null))
      metrics.append(("train_loss", report.map { JSONValue.number($0.loss) } ?? .null))
    }
    best.metadata["fgf.metrics"] = JSONValue.object(metrics).serialized
    return TrainingOutcome(model: best, history: state.history, bestEpoch: state.bestEpoch, cancelled: cancelled)
  }
}
