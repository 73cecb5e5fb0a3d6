// Adam exactly as PyTorch's torch.optim.Adam (no weight decay, no amsgrad), in its float32
// arithmetic: m ← lerp(m, g, 1−β1); v ← β2·v + (1−β2)·g²; bias corrections in Double;
// p ← p − (lr/(1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).

import Foundation

/// Hyperparameters of Adam (PyTorch defaults).
public struct AdamSettings: Sendable, Equatable, Codable {
  public var learningRate: Double = 1e-3
  public var beta1: Double = 0.9
  public var beta2: Double = 0.999
  public var epsilon: Double = 1e-8
  public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
    self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
  }
}

/// Adam's state: first and second moments per parameter and the step count.
public struct Adam: Sendable, Equatable {
  public var settings: AdamSettings
  public var firstMoment: [Float]
  public var secondMoment: [Float]
  /// Steps taken so far.
  public var step: Int

  public init(parameterCount: Int, settings: AdamSettings = AdamSettings()) {
    self.settings = settings
    firstMoment = [Float](repeating: 0, count: parameterCount)
    secondMoment = [Float](repeating: 0, count: parameterCount)
    step = 0
  }

  /// One update of `parameters` with `gradients` (same length).
  public mutating func update(_ parameters: inout [Float], gradients: [Float]) {
    precondition(parameters.count == firstMoment.count && gradients.count == firstMoment.count, "Adam: sizes disagree")
    step += 1
    let t = Double(step)
    let correction1 = 1 - pow(settings.beta1, t)
    let correction2Root = (1 - pow(settings.beta2, t)).squareRoot()
    let stepSize = Float(-(settings.learningRate / correction1))
    let lerpWeight = Float(1 - settings.beta1)
    let beta2 = Float(settings.beta2), oneMinusBeta2 = Float(1 - settings.beta2)
    let root2 = Float(correction2Root), epsilon = Float(settings.epsilon)
    firstMoment.withUnsafeMutableBufferPointer { m in
      secondMoment.withUnsafeMutableBufferPointer { v in
        parameters.withUnsafeMutableBufferPointer { p in
          gradients.withUnsafeBufferPointer { g in
            for i in 0..<p.count {
              let gi = g[i]
              // torch.lerp with weight < 0.5: start + weight·(end − start).
              m[i] = m[i] + lerpWeight * (gi - m[i])
              v[i] = v[i] * beta2 + oneMinusBeta2 * (gi * gi)
              let denominator = v[i].squareRoot() / root2 + epsilon
              p[i] = p[i] + stepSize * (m[i] / denominator)
            }
          }
        }
      }
    }
  }
}
