// `fgf train --tensors`: trains a model on given tensors (split 0 trains, 1 validates, 2 tests;
// all train when there is no split), or writes the parameter gradients of the full loss at the
// initial weights over the whole given batch (`--dump-gradients`). Penalty directions are the
// gradients of the chosen features on each sample (the mask comes from the file), or the file's
// `directions` tensor when no feature is chosen.

import Common
import Engine

public enum TensorTraining {
  /// The training data of a tensors file: its samples and their directions (see the file header).
  public static func data(_ inputs: TensorInputs, features: [FeatureDefinition], lambda: Double,
                          threads: Int = Parallelism.defaultThreads) throws(FileError) -> TrainingData {
    guard inputs.labels != nil else {
      throw FileError(path: inputs.path, place: "tensor label", problem: "missing", hint: "training needs label [N] with 0/1 values")
    }
    if lambda > 0 && features.isEmpty && inputs.directions == nil {
      throw FileError(path: inputs.path, place: "tensor directions", problem: "missing, but λ > 0 needs penalty directions",
                      hint: "choose --features (their gradients on each sample are the directions), add directions [N, K, C, H, W], or train with λ = 0")
    }
    return try TrainingData.prepare(AnalysisInputs.tensors(inputs, selection: .all), features: features,
                                    directions: features.isEmpty ? inputs.directions : nil, threads: threads)
  }

  /// Trains `model` on the tensors (see TrainingRun.run).
  public static func train(inputs: TensorInputs, model: Model, modelPath: String, features: [FeatureDefinition] = [],
                           request: TrainingRequest, checkpoint: String? = nil, resume: Bool = false,
                           onBatch: ((BatchReport) -> Void)? = nil, onEpoch: ((EpochProgress) -> Void)? = nil,
                           isCancelled: (() -> Bool)? = nil) throws(FileError) -> TrainingRunOutcome {
    try inputs.check(against: model, modelPath: modelPath)
    let data = try data(inputs, features: features, lambda: request.lambda, threads: request.threads)
    return try TrainingRun.run(model: model, initial: .string(modelPath), data: data, request: request, checkpoint: checkpoint,
                               resume: resume, onBatch: onBatch, onEpoch: onEpoch, isCancelled: isCancelled)
  }

  /// The parameter gradients of BCE_w (+ λ·penalty) at `model`'s weights over all samples as one
  /// batch, without augmentation, as a dump with the weights' names and shapes.
  public static func gradients(inputs: TensorInputs, model: Model, modelPath: String, lambda: Double,
                               features: [FeatureDefinition] = [],
                               threads: Int = Parallelism.defaultThreads) throws(FileError) -> TensorDump {
    try inputs.check(against: model, modelPath: modelPath)
    guard let labels = inputs.labels else {
      throw FileError(path: inputs.path, place: "tensor label", problem: "missing", hint: "gradients of the loss need label [N]")
    }
    let directions: [DirectionSet]?
    if lambda > 0 {
      // Every sample, whatever its split, in file order.
      let all = AnalysisInputs.tensors(inputs, selection: .all)
      if !features.isEmpty {
        guard let featureInputs = all.featureInputs else {
          throw FileError(path: inputs.path, place: "tensor mask", problem: "--features needs the GTV mask: " + (all.featureProblem ?? ""))
        }
        directions = ParallelWork.map(featureInputs.count, threads: threads) {
          FeatureCatalog.evaluate(features, on: featureInputs[$0]).compactMap(\.gradient)
        }
      } else if let given = inputs.directions {
        directions = given
      } else {
        throw FileError(path: inputs.path, place: "tensor directions", problem: "missing, but λ > 0 needs penalty directions",
                        hint: "choose --features, or add directions [N, K, C, H, W]")
      }
    } else {
      directions = nil
    }
    let result = model.lossAndGradients(x: inputs.x, labels: labels, count: inputs.count,
                                        positiveWeight: BinaryCrossEntropy.positiveWeight(labels: labels),
                                        lambda: lambda, directions: directions, threads: threads)
    var dump = TensorDump(metadata: [
      "fgf.loss": JSONValue.object([("loss", .number(result.loss)), ("cross_entropy", .number(result.crossEntropy)),
                                    ("penalty", .number(result.penalty)), ("penalty_skipped", .number(result.penaltySkipped)),
                                    ("lambda", .number(lambda)), ("samples", .number(inputs.count)),
                                    ("features", .array(features.map { .string($0.name) }))]).serialized,
    ])
    for entry in model.layout.entries {
      dump.add(entry.name, shape: entry.shape, floats: Array(result.gradients[entry.range]))
    }
    return dump
  }
}
