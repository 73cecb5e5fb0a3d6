// GradientOracle: a model as alignment sees it, the logit f(x) and the input gradient ∇ₓf for a
// batch of inputs. Engine's Model is one as it is (Model+GradientOracle.swift); tests and
// experiments wrap functions.

/// A differentiable scalar model of a 3×64×64 input.
public protocol GradientOracle: Sendable {
  /// Logits [count] and input gradients [count, 3, 64, 64] (flat) for `count` inputs laid end to
  /// end in `x` ([count, 3, 64, 64]), using up to `threads` threads. Must be deterministic (the
  /// flow walks it step by step) and must not depend on `threads`.
  func logitsAndInputGradients(_ x: [Float], count: Int, threads: Int) -> (logits: [Float], gradients: [Float])
}

/// A gradient oracle made of a function of one input (x → (f(x), ∇ₓf)), applied to each input of a
/// batch in turn.
public struct GradientFunction: GradientOracle {
  private let body: @Sendable ([Float]) -> (logit: Float, gradient: [Float])

  public init(_ body: @escaping @Sendable ([Float]) -> (logit: Float, gradient: [Float])) {
    self.body = body
  }

  public func logitsAndInputGradients(_ x: [Float], count: Int, threads: Int = 1) -> (logits: [Float], gradients: [Float]) {
    let d = FeatureInput.count
    precondition(x.count == count * d, "a batch of \(count) inputs holds \(count * d) values, got \(x.count)")
    var logits: [Float] = []
    var gradients: [Float] = []
    gradients.reserveCapacity(x.count)
    for n in 0..<count {
      let (logit, gradient) = body(Array(x[(n * d)..<((n + 1) * d)]))
      precondition(gradient.count == d, "a gradient holds \(d) values, got \(gradient.count)")
      logits.append(logit)
      gradients += gradient
    }
    return (logits, gradients)
  }
}
