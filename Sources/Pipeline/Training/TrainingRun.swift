// TrainingRun: regularized training on prepared data (DESIGN §2): BCE_w + λ·mean(1 − ‖P_S u‖²/‖u‖²)
// through Engine's Trainer (exact second-order gradients, Adam, augmentation, a checkpoint after
// every epoch, cancellation after any batch, bit-identical resume). Around it: the validation
// figures of every epoch (AUC, loss, alignment on S), the final validation and test figures of the
// epoch picked by validation AUC, and the model file's metadata (fgf.training, fgf.metrics,
// fgf.preprocess).

import Common
import Engine

/// The settings of a run (defaults are DESIGN §3's).
public struct TrainingRequest: Sendable {
  public var epochs = 30
  public var seed: UInt64 = 0
  public var lambda = 0.0
  public var batchSize = 32
  public var learningRate = 1e-3
  public var augment = true
  public var maxShift = 4
  public var schedule: LearningRateSchedule = .constant
  /// Also augment by quarter turns.
  public var rotate = false
  /// Decay per step of the moving average of the weights (0: none).
  public var weightAverage = 0.0
  /// Worker threads (results do not depend on them).
  public var threads = Parallelism.defaultThreads
  public init() {}
}

/// After every epoch: the trainer's report and the validation figures of that epoch's parameters.
public struct EpochProgress: Sendable {
  public var report: EpochReport
  public var epochs: Int
  public var validation: SplitEvaluation
}

/// What a run produced.
public struct TrainingRunOutcome: Sendable {
  /// The model of the epoch with the best validation AUC, with its metadata.
  public var model: Model
  public var history: [EpochReport]
  public var bestEpoch: Int?
  public var completedEpochs: Int
  /// True when stopped by `isCancelled`: the checkpoint holds the last complete epoch, and
  /// `validation`/`test` are not computed.
  public var cancelled: Bool
  public var validation: SplitEvaluation?
  public var test: SplitEvaluation?
}

public enum TrainingRun {
  /// Trains `model` (not modified) on `data`. `initial` describes where the model came from (JSON,
  /// kept in fgf.training; a resumed run must give the same). With `resume`, continues the run
  /// saved in `checkpoint`, which must have been made with the same settings, data and start.
  /// `preprocess` is the fgf.preprocess metadata of the data (nil keeps the model's own).
  public static func run(model: Model, initial: JSONValue, data: TrainingData, request: TrainingRequest,
                         checkpoint: String?, resume: Bool = false, preprocess: String? = nil,
                         onBatch: ((BatchReport) -> Void)? = nil, onEpoch: ((EpochProgress) -> Void)? = nil,
                         isCancelled: (() -> Bool)? = nil) throws(FileError) -> TrainingRunOutcome {
    let weight = data.positiveWeight
    var configuration = TrainingConfiguration(
      epochs: request.epochs, batchSize: request.batchSize, seed: request.seed, lambda: request.lambda,
      positiveWeight: weight, adam: AdamSettings(learningRate: request.learningRate), augment: request.augment,
      maxShift: request.maxShift, threads: request.threads)
    configuration.schedule = request.schedule
    configuration.rotate = request.rotate
    configuration.weightAverage = request.weightAverage
    configuration.context = .object([
      ("features", .array(data.features.map(JSONValue.string))), ("data_hash", .string(data.hash)), ("initial", initial),
    ])
    let trainer: Trainer
    if resume, let checkpoint {
      trainer = try Trainer(resumingFrom: checkpoint, training: data.train, validation: data.validation,
                            configuration: configuration, metadata: model.metadata)
    } else {
      trainer = Trainer(model: model, training: data.train, validation: data.validation, configuration: configuration)
    }
    let probe = model.copy()
    let outcome = try trainer.run(checkpoint: checkpoint, onBatch: onBatch, onEpoch: { report in
      guard let onEpoch else { return }
      probe.parameters = trainer.state.evaluatedParameters
      onEpoch(EpochProgress(report: report, epochs: request.epochs,
                            validation: SplitEvaluation.evaluate(probe, on: data.validation, positiveWeight: weight,
                                                                 threads: request.threads)))
    }, isCancelled: isCancelled)

    var result = TrainingRunOutcome(model: outcome.model, history: outcome.history, bestEpoch: outcome.bestEpoch,
                                    completedEpochs: trainer.state.completedEpochs, cancelled: outcome.cancelled)
    guard !outcome.cancelled else { return result }
    let validation = SplitEvaluation.evaluate(outcome.model, on: data.validation, positiveWeight: weight, threads: request.threads)
    let test = SplitEvaluation.evaluate(outcome.model, on: data.test, positiveWeight: weight, threads: request.threads)
    result.validation = validation
    result.test = test
    result.model.metadata = metadata(outcome.model.metadata, data: data, validation: validation, test: test,
                                     preprocess: preprocess)
    return result
  }

  /// The model file's metadata: the trainer's fgf.training (settings and context) with the data's
  /// description added, its fgf.metrics with the validation and test figures, and fgf.preprocess.
  static func metadata(_ base: [String: String], data: TrainingData,
                       validation: SplitEvaluation, test: SplitEvaluation, preprocess: String?) -> [String: String] {
    var metadata = base
    var training = members(base["fgf.training"])
    if let index = training.firstIndex(where: { $0.key == "context" }), let context = training[index].value.objectValue {
      training.remove(at: index)
      training += context
    }
    training += [
      ("source", .string(data.source)),
      ("patients", .object([("train", .number(data.train.count)), ("val", .number(data.validation.count)),
                            ("test", .number(data.test.count)), ("excluded", .number(data.excluded.count))])),
      ("directions_omitted", .object(data.omittedDirections.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number($0.value)) })),
      ("samples_without_directions", .number(data.withoutDirections)),
    ]
    metadata["fgf.training"] = JSONValue.object(training).serialized
    var metrics = members(base["fgf.metrics"])
    metrics += [("validation", validation.json), ("test", test.json)]
    metadata["fgf.metrics"] = JSONValue.object(metrics).serialized
    if let preprocess { metadata["fgf.preprocess"] = preprocess }
    return metadata
  }

  private static func members(_ text: String?) -> [(key: String, value: JSONValue)] {
    guard let text, let value = try? JSONValue.parse(text), let members = value.objectValue else { return [] }
    return members
  }
}
