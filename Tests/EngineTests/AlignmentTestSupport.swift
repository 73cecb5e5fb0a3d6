// Models and features with known gradients for the alignment tests.
import Engine

enum AlignmentTestSupport {
  /// f(x) = ⟨w, x⟩: its gradient is w everywhere.
  static func linearModel(_ w: [Float]) -> GradientFunction {
    GradientFunction { x in
      var logit: Float = 0
      for i in 0..<x.count { logit += w[i] * x[i] }
      return (logit, w)
    }
  }

  /// f(x) = Σ a_i x_i + ½ Σ b_i x_i²: gradient a + b ⊙ x, which changes along the flow.
  static func quadraticModel(_ a: [Float], _ b: [Float]) -> GradientFunction {
    GradientFunction { x in
      var logit: Float = 0
      var gradient = [Float](repeating: 0, count: x.count)
      for i in 0..<x.count {
        logit += a[i] * x[i] + 0.5 * b[i] * x[i] * x[i]
        gradient[i] = a[i] + b[i] * x[i]
      }
      return (logit, gradient)
    }
  }

  /// g(x) = ⟨v, x⟩, a linear test feature with gradient v.
  static func linearFeature(_ v: [Float], name: String = "test.linear") -> FeatureDefinition {
    FeatureDefinition(name: name, family: .intensity, unit: "x", summary: "a linear test feature",
                      formula: "⟨v, x⟩") { input in
      var value = 0.0
      for i in 0..<v.count { value += Double(v[i]) * Double(input.x[i]) }
      return .defined(value: value, gradient: v)
    }
  }

  /// |cos| of two vectors, computed plainly in Double.
  static func absCosine(_ a: [Float], _ b: [Float]) -> Double {
    var ab = 0.0, aa = 0.0, bb = 0.0
    for i in 0..<a.count {
      ab += Double(a[i]) * Double(b[i]); aa += Double(a[i]) * Double(a[i]); bb += Double(b[i]) * Double(b[i])
    }
    return abs(ab) / (aa * bb).squareRoot()
  }
}
