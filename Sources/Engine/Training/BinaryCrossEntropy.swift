// Binary cross-entropy on logits with a positive-class weight, as PyTorch's
// BCEWithLogitsLoss(pos_weight=w): ℓ(f, y) = −[w·y·log σ(f) + (1−y)·log(1−σ(f))], averaged over
// the batch. Evaluated stably: log σ(f) = −softplus(−f), log(1−σ(f)) = −softplus(f).

import Foundation

public enum BinaryCrossEntropy {
  /// ℓ(f, y) for one sample.
  public static func loss(logit f: Double, label y: Int, positiveWeight w: Double) -> Double {
    y == 1 ? w * softplus(-f) : softplus(f)
  }

  /// dℓ/df = σ(f)·(1 − y + w·y) − w·y.
  public static func derivative(logit f: Double, label y: Int, positiveWeight w: Double) -> Double {
    let s = sigmoid(f)
    return y == 1 ? w * (s - 1) : s
  }

  /// Negatives / positives of `labels` (1 when either class is absent).
  public static func positiveWeight(labels: [Int]) -> Double {
    let positives = labels.filter { $0 == 1 }.count
    let negatives = labels.count - positives
    return positives == 0 || negatives == 0 ? 1 : Double(negatives) / Double(positives)
  }

  static func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
  static func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }
}
