// NoiseBank: the random directions of the noise baselines (DESIGN §2), drawn once from fixed seeds
// and kept with their norms, so every patient and feature is compared with the same draws.
//
//   white    r_j ~ N(0, I)                 SeededRandom(seed, stream: j), j = 0…J−1, Box–Muller
//   smooth   r_j blurred in-plane (σ = 2 px, GaussianBlur.swift)
//   matched  r_j = ρ_j ⊙ |∇g_k(x)|, ρ_j Rademacher signs from SeededRandom(seed, stream: 2³² + j);
//            the signs are kept here, the magnitudes come from the feature at the point compared.

import Common

/// Which noise baseline feature alignments are compared with.
public enum NoiseBaseline: String, Sendable, CaseIterable, Codable {
  /// r_j ~ N(0, I): the published method's baseline.
  case white
  /// White draws blurred in-plane with a Gaussian of σ = 2 px: as spatially smooth as real
  /// features' gradients (a stricter test).
  case smooth
  /// ρ_j ⊙ |∇g_k(x)|: the feature's own support and magnitudes in random directions (the strictest).
  case matched
}

/// J noise directions of each kind, with their norms. Immutable and shareable across threads.
public final class NoiseBank: Sendable {
  public static let defaultSeed: UInt64 = 0x464746   // "FGF"
  public static let defaultDraws = 32
  /// The bank of the default seed and J, built on first use (~20 ms) and kept for the process.
  public static let standard = NoiseBank(seed: defaultSeed, draws: defaultDraws)

  public let seed: UInt64
  public let draws: Int
  /// White draws r_j and ‖r_j‖.
  public let white: [[Float]]
  public let whiteNorms: [Double]
  /// Smooth draws (the white ones blurred) and their norms.
  public let smooth: [[Float]]
  public let smoothNorms: [Double]
  /// Rademacher signs ρ_j (±1) of the matched baseline.
  public let signs: [[Float]]

  public init(seed: UInt64 = defaultSeed, draws: Int = defaultDraws) {
    precondition(draws > 0, "a noise baseline needs at least one draw")
    self.seed = seed
    self.draws = draws
    white = (0..<draws).map { j in
      var random = SeededRandom(seed: seed, stream: UInt64(j))
      return (0..<FeatureInput.count).map { _ in Float(random.normal()) }
    }
    smooth = white.map { GaussianBlur.blurInPlane($0) }
    signs = (0..<draws).map { j in
      var random = SeededRandom(seed: seed, stream: (1 << 32) + UInt64(j))
      return (0..<FeatureInput.count).map { _ in random.sign() }
    }
    whiteNorms = white.map(VectorMath.norm)
    smoothNorms = smooth.map(VectorMath.norm)
  }

  /// The matched baseline's draw j for a feature gradient g: r_j = ρ_j ⊙ |g| (its norm is ‖g‖).
  public func matched(_ featureGradient: [Float], draw j: Int) -> [Float] {
    precondition(featureGradient.count == FeatureInput.count && signs.indices.contains(j))
    return zip(signs[j], featureGradient).map { $0 * abs($1) }
  }

  /// The standard bank for the default seed and J, a new one otherwise.
  public static func bank(seed: UInt64, draws: Int) -> NoiseBank {
    seed == defaultSeed && draws == defaultDraws ? standard : NoiseBank(seed: seed, draws: draws)
  }
}
