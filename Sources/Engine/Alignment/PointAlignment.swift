// PointAlignment: the alignment of every feature, and of the noise baseline, with the model's
// gradient u = ∇f at one point (DESIGN §2). Pointwise measures use one point; the flow averages
// many. Undefined wherever a norm is below 1e-12, with the reason.

/// The features evaluated at one point, with their gradient norms; shared by every model there.
struct FeaturesAtPoint: Sendable {
  var values: [FeatureValue]
  var norms: [Double]

  init(_ values: [FeatureValue]) {
    self.values = values
    norms = values.map { $0.gradient.map(VectorMath.norm) ?? 0 }
  }
}

/// One feature's alignment and noise alignment at one point, or why there is none.
enum PointAlignment: Sendable {
  case defined(alignment: Double, noise: Double)
  case undefined(reason: String)
}

/// Every feature's alignment at one point, and the white or smooth baseline's noise alignment there
/// (nil for matched, or where ∇f vanishes).
struct PointAlignments: Sendable {
  var features: [PointAlignment]
  var baseline: Double?
}

extension AlignmentAnalyzer {
  /// Every feature's alignment with u at one point.
  func alignments(of features: FeaturesAtPoint, with u: [Float]) -> PointAlignments {
    let uNorm = VectorMath.norm(u)
    guard uNorm >= VectorMath.zeroNorm else {
      return PointAlignments(features: features.values.map { .undefined(reason: $0.undefinedReason ?? "model gradient is zero") },
                             baseline: nil)
    }
    // White and smooth draws do not depend on the feature: one noise figure for the point.
    var sharedNoise: Double? = nil
    if settings.baseline != .matched {
      let (draws, norms) = settings.baseline == .white ? (noise.white, noise.whiteNorms) : (noise.smooth, noise.smoothNorms)
      guard let mean = meanNoise(u, uNorm, draws, norms) else {
        return PointAlignments(features: features.values.map { _ in .undefined(reason: "every noise draw is zero") },
                               baseline: nil)
      }
      sharedNoise = mean
    }
    let perFeature: [PointAlignment] = zip(features.values, features.norms).map { value, gNorm in
      guard let g = value.gradient else { return .undefined(reason: value.undefinedReason ?? "undefined") }
      guard gNorm >= VectorMath.zeroNorm else { return .undefined(reason: "feature gradient is zero") }
      let alignment = measure(VectorMath.dot(u, g) / (uNorm * gNorm))
      let noiseAlignment = sharedNoise ?? matchedNoise(u, uNorm, g, gNorm)
      return .defined(alignment: alignment, noise: noiseAlignment)
    }
    return PointAlignments(features: perFeature, baseline: sharedNoise)
  }

  /// The measure of a cosine: |c| (abs, and each point of the flow) or c² (sq).
  @inline(__always) func measure(_ cosine: Double) -> Double {
    settings.measure == .sq ? cosine * cosine : Swift.abs(cosine)
  }

  /// Mean over the draws of the measure of cos(u, r_j), draws of norm < 1e-12 left out (white and
  /// smooth draws never are in practice).
  private func meanNoise(_ u: [Float], _ uNorm: Double, _ draws: [[Float]], _ norms: [Double]) -> Double? {
    var sum = 0.0, used = 0
    for (r, rNorm) in zip(draws, norms) where rNorm >= VectorMath.zeroNorm {
      sum += measure(VectorMath.dot(u, r) / (uNorm * rNorm))
      used += 1
    }
    return used > 0 ? sum / Double(used) : nil
  }

  /// Mean over the draws of the measure of cos(u, ρ_j ⊙ |g|). ‖ρ_j ⊙ |g|‖ = ‖g‖, and
  /// ⟨u, ρ_j ⊙ |g|⟩ = ⟨u ⊙ |g|, ρ_j⟩, so u ⊙ |g| is formed once.
  private func matchedNoise(_ u: [Float], _ uNorm: Double, _ g: [Float], _ gNorm: Double) -> Double {
    var weighted = [Float](repeating: 0, count: u.count)
    for i in 0..<u.count { weighted[i] = u[i] * Swift.abs(g[i]) }
    var sum = 0.0
    for signs in noise.signs { sum += measure(VectorMath.dot(weighted, signs) / (uNorm * gNorm)) }
    return sum / Double(noise.signs.count)
  }
}
