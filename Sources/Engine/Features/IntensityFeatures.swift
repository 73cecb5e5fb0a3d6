// IntensityFeatures: first-order statistics of x inside the mask M, over all three channels
// (DESIGN §5). N_M = Σ M; moments are central, normalised by N_M (population moments).

import Glibc

package enum IntensityFeatures {
  /// Below this standard deviation (in x units, 2·10⁻⁴ HU) the mask is treated as uniform: the
  /// standardised moments and σ's own gradient are 0/0 there.
  package static let minimumStandardDeviation = 1e-6

  /// `intensity.mean`: μ = Σ M x / N_M.   ∂μ/∂x_i = M_i / N_M.
  package static func mean(_ context: FeatureContext) -> FeatureResult {
    if let problem = context.inputProblem { return .undefined(reason: problem) }
    let moments = Moments(context)
    var gradient = context.zeroGradient()
    for i in context.maskIndices { gradient[i] = 1 / moments.count }
    return .defined(value: moments.mean, gradient: gradient)
  }

  /// `intensity.std`: σ = sqrt(Σ M (x − μ)² / N_M).   ∂σ/∂x_i = M_i (x_i − μ) / (N_M σ).
  package static func standardDeviation(_ context: FeatureContext) -> FeatureResult {
    withSpread(context) { moments in
      var gradient = context.zeroGradient()
      for i in context.maskIndices {
        gradient[i] = (context.x[i] - moments.mean) / (moments.count * moments.std)
      }
      return .defined(value: moments.std, gradient: gradient)
    }
  }

  /// `intensity.skewness`: Σ M (x − μ)³ / (N_M σ³) = m₃ / m₂^{3/2}.
  /// ∂m₃/∂x_i = 3 M_i ((x_i − μ)² − m₂) / N_M,  ∂m₂/∂x_i = 2 M_i (x_i − μ) / N_M.
  package static func skewness(_ context: FeatureContext) -> FeatureResult {
    withSpread(context) { moments in
      let (m2, m3, n) = (moments.m2, moments.m3, moments.count)
      let m2Cubed = pow(m2, 1.5)
      let value = m3 / m2Cubed
      var gradient = context.zeroGradient()
      for i in context.maskIndices {
        let d = context.x[i] - moments.mean
        let dm3 = 3 * (d * d - m2) / n
        let dm2 = 2 * d / n
        gradient[i] = dm3 / m2Cubed - 1.5 * value / m2 * dm2
      }
      return .defined(value: value, gradient: gradient)
    }
  }

  /// `intensity.kurtosis`: Σ M (x − μ)⁴ / (N_M σ⁴) = m₄ / m₂² (not excess: a Gaussian gives 3).
  /// ∂m₄/∂x_i = 4 M_i ((x_i − μ)³ − m₃) / N_M.
  package static func kurtosis(_ context: FeatureContext) -> FeatureResult {
    withSpread(context) { moments in
      let (m2, m3, m4, n) = (moments.m2, moments.m3, moments.m4, moments.count)
      let value = m4 / (m2 * m2)
      var gradient = context.zeroGradient()
      for i in context.maskIndices {
        let d = context.x[i] - moments.mean
        let dm4 = 4 * (d * d * d - m3) / n
        let dm2 = 2 * d / n
        gradient[i] = dm4 / (m2 * m2) - 2 * m4 / (m2 * m2 * m2) * dm2
      }
      return .defined(value: value, gradient: gradient)
    }
  }

  /// Runs `body` when the mask has spread, else reports why not.
  private static func withSpread(_ context: FeatureContext, _ body: (Moments) -> FeatureResult) -> FeatureResult {
    if let problem = context.inputProblem { return .undefined(reason: problem) }
    let moments = Moments(context)
    guard moments.std >= minimumStandardDeviation else {
      return .undefined(reason: "zero variance inside the mask (σ < \(minimumStandardDeviation))")
    }
    return body(moments)
  }

  /// Central moments of x over M, two-pass in Double.
  private struct Moments {
    var count, mean, m2, m3, m4: Double
    var std: Double { m2.squareRoot() }

    init(_ context: FeatureContext) {
      count = Double(context.maskIndices.count)
      var sum = 0.0
      for i in context.maskIndices { sum += context.x[i] }
      mean = sum / count
      var s2 = 0.0, s3 = 0.0, s4 = 0.0
      for i in context.maskIndices {
        let d = context.x[i] - mean, d2 = d * d
        s2 += d2
        s3 += d2 * d
        s4 += d2 * d2
      }
      m2 = s2 / count
      m3 = s3 / count
      m4 = s4 / count
    }
  }
}
