// The values a training run takes and reports: samples, configuration, per-batch and per-epoch
// reports, and the outcome.

import Common
import Foundation

/// One training or validation sample.
public struct TrainingSample: Sendable {
  /// Model input [C, H, W].
  public var x: [Float]
  /// GTV mask [C, H, W], if any; augmented with x (kept for callers that derive data from it).
  public var mask: [Float]?
  /// 0 or 1.
  public var label: Int
  /// Directions of the penalty for this sample (each [C, H, W]); empty for none.
  public var directions: DirectionSet

  public init(x: [Float], mask: [Float]? = nil, label: Int, directions: DirectionSet = []) {
    self.x = x; self.mask = mask; self.label = label; self.directions = directions
  }
}

/// How to train. Everything that changes the result is here (threads do not).
public struct TrainingConfiguration: Sendable, Equatable {
  public var epochs: Int
  public var batchSize: Int
  public var seed: UInt64
  /// Penalty strength λ (0: plain BCE_w).
  public var lambda: Double
  /// BCE positive weight, usually negatives/positives of the training set.
  public var positiveWeight: Double
  public var adam: AdamSettings
  /// Left–right flips and shifts of up to `maxShift` pixels.
  public var augment: Bool
  public var maxShift: Int
  /// Worker threads (does not change results).
  public var threads: Int
  /// With `augment`: also random quarter turns (the eight symmetries of the square with the flip).
  public var rotate = false
  /// How the learning rate moves over the run (Adam's `learningRate` is the starting value).
  public var schedule: LearningRateSchedule = .constant
  /// Decay per step of an exponential moving average of the weights (0: none). When set, the
  /// average is what is validated, kept and saved (see `WeightAverage`).
  public var weightAverage: Double = 0
  /// What the caller trains with beyond these settings (feature set, data hash, initial model),
  /// recorded in `json` under "context": a checkpoint resumes only with the same context, and the
  /// model file's fgf.training keeps it. Nil records nothing.
  public var context: JSONValue? = nil

  public init(epochs: Int = 30, batchSize: Int = 32, seed: UInt64 = 0, lambda: Double = 0, positiveWeight: Double = 1,
              adam: AdamSettings = AdamSettings(), augment: Bool = true, maxShift: Int = 4,
              threads: Int = Parallelism.defaultThreads) {
    self.epochs = epochs; self.batchSize = batchSize; self.seed = seed; self.lambda = lambda
    self.positiveWeight = positiveWeight; self.adam = adam; self.augment = augment; self.maxShift = maxShift
    self.threads = threads
  }

  /// The result-determining settings as JSON (model file `fgf.training`, checkpoints).
  public var json: JSONValue {
    .object([
      ("epochs", .number(epochs)), ("batch_size", .number(batchSize)), ("seed", .number(String(seed))),
      ("lambda", .number(lambda)), ("positive_weight", .number(positiveWeight)),
      ("learning_rate", .number(adam.learningRate)), ("beta1", .number(adam.beta1)), ("beta2", .number(adam.beta2)),
      ("epsilon", .number(adam.epsilon)), ("augment", .bool(augment)), ("max_shift", .number(maxShift)),
    ]
    // Written only when not the default, so runs made before these settings existed keep their record.
    + (rotate ? [("rotate", .bool(true))] : [])
    + (schedule == .constant ? [] : [("schedule", .string(schedule.rawValue))])
    + (weightAverage == 0 ? [] : [("weight_average", .number(weightAverage))])
    + (context.map { [("context", $0)] } ?? []))
  }

  /// Whether a checkpoint written under `other` can continue under this configuration (all but
  /// the epoch count and threads must agree).
  func canResume(from other: TrainingConfiguration) -> Bool {
    var a = self, b = other
    a.epochs = 0; b.epochs = 0; a.threads = 1; b.threads = 1
    return a == b
  }
}

/// The learning rate over a run of T = epochs × batches-per-epoch Adam steps.
public enum LearningRateSchedule: String, Sendable, Equatable, CaseIterable {
  /// The same rate throughout.
  case constant
  /// Cosine annealing to zero: step t (0-based) uses rate · ½(1 + cos(π t / T)).
  case cosine

  /// The factor on the starting rate at 0-based step `step` of `total`.
  public func factor(step: Int, total: Int) -> Double {
    switch self {
    case .constant: return 1
    case .cosine: return total <= 0 ? 1 : 0.5 * (1 + cos(Double.pi * Double(step) / Double(total)))
    }
  }
}

/// Reported after every batch.
public struct BatchReport: Sendable {
  public var epoch: Int
  /// 0-based batch index within the epoch.
  public var batch: Int
  public var batches: Int
  public var loss: Double
}

/// Reported after every epoch.
public struct EpochReport: Sendable, Equatable {
  /// 1-based.
  public var epoch: Int
  /// Means over the epoch's batches.
  public var loss: Double
  public var crossEntropy: Double
  public var penalty: Double
  /// Samples whose penalty was skipped (no usable direction, or ‖∇ₓf‖ < 1e-12), summed over batches.
  public var penaltySkipped: Int
  /// Validation ROC AUC and mean BCE_w, nil without a validation set (AUC also nil with one class).
  public var validationAUC: Double?
  public var validationLoss: Double?
  /// Whether this epoch is the best so far (and its parameters are kept).
  public var isBest: Bool

  var json: JSONValue {
    .object([("epoch", .number(epoch)), ("loss", .number(loss)), ("cross_entropy", .number(crossEntropy)),
             ("penalty", .number(penalty)), ("penalty_skipped", .number(penaltySkipped)),
             ("val_auc", validationAUC.map { JSONValue.number($0) } ?? .null),
             ("val_loss", validationLoss.map { JSONValue.number($0) } ?? .null), ("best", .bool(isBest))])
  }

  init(epoch: Int, loss: Double, crossEntropy: Double, penalty: Double, penaltySkipped: Int,
       validationAUC: Double?, validationLoss: Double?, isBest: Bool) {
    self.epoch = epoch; self.loss = loss; self.crossEntropy = crossEntropy; self.penalty = penalty
    self.penaltySkipped = penaltySkipped; self.validationAUC = validationAUC; self.validationLoss = validationLoss
    self.isBest = isBest
  }

  init?(json: JSONValue) {
    guard let epoch = json["epoch"]?.intValue, let loss = json["loss"]?.doubleValue,
          let ce = json["cross_entropy"]?.doubleValue, let penalty = json["penalty"]?.doubleValue,
          let skipped = json["penalty_skipped"]?.intValue, let best = json["best"]?.boolValue else { return nil }
    self.init(epoch: epoch, loss: loss, crossEntropy: ce, penalty: penalty, penaltySkipped: skipped,
              validationAUC: json["val_auc"]?.doubleValue, validationLoss: json["val_loss"]?.doubleValue, isBest: best)
  }
}

/// What a run produced.
public struct TrainingOutcome: Sendable {
  /// The model of the best epoch (or the last, without validation AUC), with `fgf.training` and
  /// `fgf.metrics` metadata set.
  public var model: Model
  public var history: [EpochReport]
  /// 1-based best epoch, nil if no epoch completed.
  public var bestEpoch: Int?
  /// True when stopped by the cancellation check; the checkpoint then holds the last full epoch.
  public var cancelled: Bool
}
