// SplitEvaluation: how a model does on a set of samples (a split): ROC AUC, mean BCE_w, and the
// mean alignment of its input gradient with the feature subspace S, ‖P_S ∇ₓf‖ / ‖∇ₓf‖ (for one
// feature, |cos|; 1 − its square is the training penalty), over the samples that have directions.
// Reported after each epoch (validation) and for the final model (validation and test).

import Common
import Engine

public struct SplitEvaluation: Sendable, Equatable {
  public var samples: Int
  public var auc: Double?
  public var loss: Double?
  /// Mean ‖P_S u‖/‖u‖; nil without directions.
  public var subspaceAlignment: Double?
  /// Samples the alignment averages over (those with a direction and a non-zero gradient).
  public var alignedSamples: Int

  /// Evaluates `model` on `samples`; `positiveWeight` of BCE_w (the training split's).
  public static func evaluate(_ model: Model, on samples: [TrainingSample], positiveWeight: Double,
                              threads: Int = Parallelism.defaultThreads) -> SplitEvaluation {
    guard !samples.isEmpty else { return SplitEvaluation(samples: 0, auc: nil, loss: nil, subspaceAlignment: nil, alignedSamples: 0) }
    let withDirections = samples.contains { !$0.directions.isEmpty }
    let x = samples.flatMap(\.x)
    let logits: [Float], gradients: [Float]
    if withDirections {
      (logits, gradients) = model.logitsAndInputGradients(x, count: samples.count, threads: threads)
    } else {
      (logits, gradients) = (model.logits(x, count: samples.count, threads: threads), [])
    }
    let labels = samples.map(\.label)
    var loss = 0.0
    for (f, y) in zip(logits, labels) { loss += BinaryCrossEntropy.loss(logit: Double(f), label: y, positiveWeight: positiveWeight) }
    var alignment: Double? = nil, aligned = 0
    if withDirections {
      let n = model.inputCount
      let values = ParallelWork.map(samples.count, threads: threads) { i -> Double? in
        gradients.withUnsafeBufferPointer { g in
          subspaceAlignment(UnsafeBufferPointer(rebasing: g[(i * n)..<((i + 1) * n)]), directions: samples[i].directions)
        }
      }
      let defined = values.compactMap { $0 }
      aligned = defined.count
      if !defined.isEmpty { alignment = defined.reduce(0, +) / Double(defined.count) }
    }
    return SplitEvaluation(samples: samples.count, auc: rocAUC(scores: logits, labels: labels), loss: loss / Double(samples.count),
                           subspaceAlignment: alignment, alignedSamples: aligned)
  }

  /// ‖P u‖/‖u‖ for the span of `directions` (Gram–Schmidt as the penalty does); nil without a
  /// usable direction or with ‖u‖ below 1e-12.
  public static func subspaceAlignment(_ u: UnsafeBufferPointer<Float>, directions: DirectionSet) -> Double? {
    guard let penalty = AlignmentPenalty.evaluate(u: u, basis: AlignmentPenalty.basis(directions))?.value else { return nil }
    return max(0, 1 - penalty).squareRoot()
  }

  /// As JSON for the model file's fgf.metrics.
  var json: JSONValue {
    .object([("patients", .number(samples)), ("auc", auc.map { JSONValue.number($0) } ?? .null),
             ("loss", loss.map { JSONValue.number($0) } ?? .null),
             ("alignment_on_features", subspaceAlignment.map { JSONValue.number($0) } ?? .null)])
  }
}
