// `fgf train --tensors`: trains a model on given tensors (split 0 trains, 1 validates; all train
// when there is no split), or writes the parameter gradients of the full loss at the initial
// weights over the whole given batch (`--dump-gradients`). Penalty directions come from the
// input's `directions` tensor.

import Common
import Engine

public struct TensorTrainingRequest: Sendable {
  public var epochs = 30
  public var seed: UInt64 = 0
  public var lambda = 0.0
  public var batchSize = 32
  public var learningRate = 1e-3
  public var augment = true
  public var threads = Parallelism.defaultThreads
  public init() {}
}

public enum TensorTraining {
  /// Samples for training: labels are required; directions are needed when λ > 0.
  static func samples(_ inputs: TensorInputs, lambda: Double) throws(FileError) -> (train: [TrainingSample], validation: [TrainingSample]) {
    guard let labels = inputs.labels else {
      throw FileError(path: inputs.path, place: "tensor label", problem: "missing", hint: "training needs label [N] with 0/1 values")
    }
    if lambda > 0 && inputs.directions == nil {
      throw FileError(path: inputs.path, place: "tensor directions", problem: "missing, but λ > 0 needs penalty directions",
                      hint: "add directions [N, K, C, H, W], or train with λ = 0")
    }
    let d = inputs.sampleCount
    var train: [TrainingSample] = [], validation: [TrainingSample] = []
    for i in 0..<inputs.count {
      let sample = TrainingSample(x: Array(inputs.x[(i * d)..<((i + 1) * d)]),
                                  mask: inputs.mask.map { Array($0[(i * d)..<((i + 1) * d)]) },
                                  label: labels[i], directions: inputs.directions?[i] ?? [])
      switch inputs.splits?[i] ?? 0 {
      case 0: train.append(sample)
      case 1: validation.append(sample)
      default: break
      }
    }
    guard !train.isEmpty else { throw FileError(path: inputs.path, place: "tensor split", problem: "no training samples (split 0)") }
    return (train, validation)
  }

  /// Trains `model` and returns the outcome (best epoch's model with metadata).
  public static func train(inputs: TensorInputs, model: Model, modelPath: String, request: TensorTrainingRequest,
                           checkpoint: String? = nil, resume: Bool = false,
                           onEpoch: ((EpochReport) -> Void)? = nil, isCancelled: (() -> Bool)? = nil) throws(FileError) -> TrainingOutcome {
    try inputs.check(against: model, modelPath: modelPath)
    let (train, validation) = try samples(inputs, lambda: request.lambda)
    let configuration = TrainingConfiguration(
      epochs: request.epochs, batchSize: request.batchSize, seed: request.seed, lambda: request.lambda,
      positiveWeight: BinaryCrossEntropy.positiveWeight(labels: train.map(\.label)),
      adam: AdamSettings(learningRate: request.learningRate), augment: request.augment, threads: request.threads)
    let trainer: Trainer
    if resume, let checkpoint {
      trainer = try Trainer(resumingFrom: checkpoint, training: train, validation: validation, configuration: configuration,
                            metadata: model.metadata)
    } else {
      trainer = Trainer(model: model, training: train, validation: validation, configuration: configuration)
    }
    return try trainer.run(checkpoint: checkpoint, onEpoch: onEpoch, isCancelled: isCancelled)
  }

  /// The parameter gradients of BCE_w (+ λ·penalty) at `model`'s weights over all samples as one
  /// batch, without augmentation, as a dump with the weights' names and shapes.
  public static func gradients(inputs: TensorInputs, model: Model, modelPath: String, lambda: Double,
                               threads: Int = Parallelism.defaultThreads) throws(FileError) -> TensorDump {
    try inputs.check(against: model, modelPath: modelPath)
    guard let labels = inputs.labels else {
      throw FileError(path: inputs.path, place: "tensor label", problem: "missing", hint: "gradients of the loss need label [N]")
    }
    if lambda > 0 && inputs.directions == nil {
      throw FileError(path: inputs.path, place: "tensor directions", problem: "missing, but λ > 0 needs penalty directions")
    }
    let result = model.lossAndGradients(x: inputs.x, labels: labels, count: inputs.count,
                                        positiveWeight: BinaryCrossEntropy.positiveWeight(labels: labels),
                                        lambda: lambda, directions: lambda > 0 ? inputs.directions : nil, threads: threads)
    var dump = TensorDump(metadata: [
      "fgf.loss": JSONValue.object([("loss", .number(result.loss)), ("cross_entropy", .number(result.crossEntropy)),
                                    ("penalty", .number(result.penalty)), ("penalty_skipped", .number(result.penaltySkipped)),
                                    ("lambda", .number(lambda)), ("samples", .number(inputs.count))]).serialized,
    ])
    for entry in model.layout.entries {
      dump.add(entry.name, shape: entry.shape, floats: Array(result.gradients[entry.range]))
    }
    return dump
  }
}
