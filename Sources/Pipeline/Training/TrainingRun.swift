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
  /// If set (needs directions): only epochs whose validation alignment on S reaches this multiple
  /// of the starting model's can be kept (`AlignmentFloor`).
  public var minimumAlignmentGain: Double? = nil
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
  /// The validation alignment an epoch had to reach (with `minimumAlignmentGain`), and the
  /// starting model's.
  public var alignmentFloor: AlignmentFloor?
  /// Set when no epoch reached the floor: then `model` holds the starting weights and must not be
  /// saved, and `validation`/`test` are not computed (like a cancelled run).
  public var floorNotReached: AlignmentFloorNotReached?
}

/// The rule of `--min-alignment-gain`: an epoch may be kept only when its validation alignment on
/// S (mean ‖P_S ∇ₓf‖/‖∇ₓf‖) is at least `gain` × the starting model's. Fine-tuning with the
/// penalty from a model trained without it, validation AUC alone tends to keep the first epochs,
/// before the gradient has turned towards S; this keeps the purpose of the penalty in the choice.
public struct AlignmentFloor: Sendable, Equatable {
  public var gain: Double
  /// The starting model's validation alignment on S.
  public var start: Double
  public var floor: Double { gain * start }

  var json: JSONValue {
    .object([("gain", .number(gain)), ("start", .number(start)), ("floor", .number(floor))])
  }
}

/// No epoch reached the alignment floor: nothing is kept, the checkpoint stays for a longer run.
public struct AlignmentFloorNotReached: Error, CustomStringConvertible, Sendable {
  public var floor: AlignmentFloor
  /// The highest validation alignment of any epoch, and its epoch.
  public var best: Double?
  public var bestEpoch: Int?
  public var description: String {
    let reached = best.map { String(format: "%.4f", $0) + (bestEpoch.map { " (epoch \($0))" } ?? "") } ?? "none"
    return String(format: "no epoch reached the validation alignment on S of %.4f (%.2f × the starting model's %.4f); "
                  + "the highest was \(reached). Train longer (--resume with more --epochs) or lower --min-alignment-gain.",
                  floor.floor, floor.gain, floor.start)
  }
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
    var floor: AlignmentFloor? = nil
    if let gain = request.minimumAlignmentGain {
      let start = SplitEvaluation.evaluate(model, on: data.validation, positiveWeight: weight, threads: request.threads)
      guard let alignment = start.subspaceAlignment else {
        throw FileError(path: data.source, problem: "--min-alignment-gain needs validation patients with feature directions",
                        hint: "give --features, and a cohort with a validation split")
      }
      floor = AlignmentFloor(gain: gain, start: alignment)
    }
    configuration.context = .object([
      ("features", .array(data.features.map(JSONValue.string))), ("data_hash", .string(data.hash)), ("initial", initial),
    ] + (floor.map { [("alignment_floor", $0.json)] } ?? []))
    let trainer: Trainer
    if resume, let checkpoint {
      trainer = try Trainer(resumingFrom: checkpoint, training: data.train, validation: data.validation,
                            configuration: configuration, metadata: model.metadata)
    } else {
      trainer = Trainer(model: model, training: data.train, validation: data.validation, configuration: configuration)
    }
    // Each epoch's validation figures are computed once: the floor asks for them before the epoch
    // is reported, and the report reuses them.
    let probe = model.copy()
    var judged: (epoch: Int, evaluation: SplitEvaluation)? = nil
    var alignments: [Int: Double] = [:]  // by epoch, for the message when no epoch reaches the floor
    func validation(ofEpoch epoch: Int, _ parameters: [Float]) -> SplitEvaluation {
      if let judged, judged.epoch == epoch { return judged.evaluation }
      probe.parameters = parameters
      let evaluation = SplitEvaluation.evaluate(probe, on: data.validation, positiveWeight: weight, threads: request.threads)
      judged = (epoch, evaluation)
      alignments[epoch] = evaluation.subspaceAlignment
      return evaluation
    }
    let qualifies: (([Float]) -> Bool)? = floor.map { floor in
      { parameters in
        (validation(ofEpoch: trainer.state.completedEpochs + 1, parameters).subspaceAlignment ?? -1) >= floor.floor
      }
    }
    let outcome = try trainer.run(checkpoint: checkpoint, onBatch: onBatch, onEpoch: { report in
      guard let onEpoch else { return }
      onEpoch(EpochProgress(report: report, epochs: request.epochs,
                            validation: validation(ofEpoch: report.epoch, trainer.state.evaluatedParameters)))
    }, isCancelled: isCancelled, qualifies: qualifies)

    var result = TrainingRunOutcome(model: outcome.model, history: outcome.history, bestEpoch: outcome.bestEpoch,
                                    completedEpochs: trainer.state.completedEpochs, cancelled: outcome.cancelled)
    result.alignmentFloor = floor
    guard !outcome.cancelled else { return result }
    if let floor, outcome.bestEpoch == nil {
      let best = alignments.max { $0.value < $1.value }
      result.floorNotReached = AlignmentFloorNotReached(floor: floor, best: best?.value, bestEpoch: best?.key)
      return result
    }
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
