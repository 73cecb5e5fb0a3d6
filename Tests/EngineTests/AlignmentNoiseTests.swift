// Noise baselines: white draws have the cosine distribution of random directions in d = 12288
// dimensions, smooth draws are really smooth (and are scipy's Gaussian filter), matched draws have
// the feature gradient's support and magnitudes.
import Testing
import Engine
import Glibc

@Suite struct AlignmentNoiseTests {
  let bank = NoiseBank.standard
  let d = Double(FeatureInput.count)

  /// For a fixed u and r ~ N(0, I), cos(u, r) is a coordinate of a uniform unit vector: E|cos| =
  /// Γ(d/2) / (√π Γ((d+1)/2)) ≈ √(2/(πd)) = 0.00720, sd ≈ 0.00544, and E cos² = 1/d exactly. Over 64
  /// random u and the 32 draws (2048 values) the standard error of the mean is ≈ 1.2e-4 (1.7%);
  /// the tolerance is 5% of the expectation (≈ 3 standard errors).
  @Test func whiteNoiseCosinesHaveTheRandomDirectionDistribution() {
    let expectedAbs = exp(lgamma(d / 2) - lgamma((d + 1) / 2)) / Double.pi.squareRoot()
    #expect(abs(expectedAbs - (2 / (Double.pi * d)).squareRoot()) < 1e-6)
    var sumAbs = 0.0, sumSq = 0.0
    let feature = AlignmentTestSupport.linearFeature(FeatureTestInputs.gaussianVector(seed: 500))
    let absAnalyzer = AlignmentAnalyzer(features: [feature], settings: AlignmentSettings(measure: .abs))
    let sqAnalyzer = AlignmentAnalyzer(features: [feature], settings: AlignmentSettings(measure: .sq))
    let input = FeatureTestInputs.random(seed: 1)
    for seed in 0..<64 {
      let u = FeatureTestInputs.gaussianVector(seed: 1000 + UInt64(seed))
      sumAbs += absAnalyzer.analyze(input, gradients: [u])[0].features[0].noiseAlignment ?? .nan
      sumSq += sqAnalyzer.analyze(input, gradients: [u])[0].features[0].noiseAlignment ?? .nan
    }
    let meanAbs = sumAbs / 64, meanSq = sumSq / 64
    print("white |cos|: mean \(meanAbs), expected \(expectedAbs) (√(2/(πd)) = \((2 / (Double.pi * d)).squareRoot())), "
      + "relative difference \(abs(meanAbs / expectedAbs - 1)) (tolerance 0.05); cos²: \(meanSq) vs 1/d = \(1 / d)")
    #expect(abs(meanAbs / expectedAbs - 1) < 0.05)
    #expect(abs(meanSq * d - 1) < 0.1)
  }

  @Test func whiteDrawsAreStandardNormalAndReproducible() {
    let values = bank.white.flatMap { $0 }.map(Double.init)
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
    print("white draws: mean \(mean), variance \(variance) over \(values.count) values")
    #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.01)
    #expect(bank.white.count == 32 && bank.smooth.count == 32 && bank.signs.count == 32)
    #expect(NoiseBank(seed: NoiseBank.defaultSeed, draws: 32).white == bank.white)
    #expect(NoiseBank(seed: 1, draws: 2).white[0] != bank.white[0])
    #expect(bank.white[0] != bank.white[1])
    for (r, norm) in zip(bank.smooth, bank.smoothNorms) {
      #expect(abs(norm - r.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()) < 1e-6 * norm)
    }
  }

  /// Lag-1 correlation of neighbouring pixels (along rows and along columns): ≈ 0 for white noise;
  /// for noise blurred with kernel k, Σ k_i k_{i+1} / Σ k_i² = 0.93941 (σ = 2; e^{−1/16} in the
  /// continuum). About 390 000 pairs: standard error ≈ 0.002; tolerance 0.01.
  @Test func smoothNoiseIsSmoothAndWhiteNoiseIsNot() {
    func neighbourCorrelation(_ draws: [[Float]], rows: Bool) -> Double {
      var sab = 0.0, saa = 0.0, sbb = 0.0, sa = 0.0, sb = 0.0, n = 0.0
      for r in draws {
        for c in 0..<3 {
          for y in 0..<(rows ? 64 : 63) {
            for x in 0..<(rows ? 63 : 64) {
              let a = Double(r[FeatureInput.index(c: c, y: y, x: x)])
              let b = Double(r[FeatureInput.index(c: c, y: rows ? y : y + 1, x: rows ? x + 1 : x)])
              sab += a * b; saa += a * a; sbb += b * b; sa += a; sb += b; n += 1
            }
          }
        }
      }
      let cov = sab / n - sa / n * sb / n
      return cov / ((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n)).squareRoot()
    }
    let kernel = (-8...8).map { k in exp(-Double(k * k) / 8) }
    let expected = zip(kernel, kernel.dropFirst()).map { $0 * $1 }.reduce(0, +) / kernel.map { $0 * $0 }.reduce(0, +)
    for rows in [true, false] {
      let smooth = neighbourCorrelation(bank.smooth, rows: rows)
      let white = neighbourCorrelation(bank.white, rows: rows)
      print("neighbour correlation along \(rows ? "rows" : "columns"): smooth \(smooth) (expected \(expected)), white \(white)")
      #expect(abs(smooth - expected) < 0.01)
      #expect(abs(white) < 0.01)
    }
  }

  /// The blur of two impulses, one at a corner (mirrored border) and one on the last row, against
  /// scipy.ndimage.gaussian_filter(a, sigma=(0, 2, 2), mode="reflect", truncate=4.0) (scipy 1.17.1).
  @Test func blurIsScipysReflectedTruncatedGaussian() {
    var a = [Float](repeating: 0, count: FeatureInput.count)
    a[FeatureInput.index(c: 0, y: 0, x: 1)] = 1
    a[FeatureInput.index(c: 2, y: 63, x: 40)] = 2
    let b = GaussianBlur.blurInPlane(a)
    let scipy: [((Int, Int, Int), Double)] = [
      ((0, 0, 0), 0.11153532091468221), ((0, 0, 1), 0.09922283629142606), ((0, 2, 3), 0.02410106182620106),
      ((0, 8, 9), 4.4777898101688105e-09), ((0, 9, 1), 0), ((1, 0, 0), 0),
      ((2, 63, 40), 0.14980961231182147), ((2, 60, 44), 0.004954076546236652), ((2, 55, 40), 2.669620659783356e-05),
    ]
    var worst = 0.0
    for ((c, y, x), expected) in scipy {
      worst = max(worst, abs(Double(b[FeatureInput.index(c: c, y: y, x: x)]) - expected))
    }
    print("blur vs scipy: max difference \(worst) (tolerance 1e-7, float32 output)")
    #expect(worst < 1e-7)
    let total = b.reduce(0.0) { $0 + Double($1) }
    #expect(abs(total - 3) < 1e-5)
  }

  @Test func matchedDrawsHaveTheFeatureGradientsSupportAndMagnitudes() throws {
    let input = FeatureTestInputs.random(seed: 50)
    let g = try #require(FeatureCatalog.named("intensity.std")?.evaluate(input).gradient)
    for j in [0, 7, 31] {
      let r = bank.matched(g, draw: j)
      #expect(zip(r, g).allSatisfy { abs($0) == abs($1) })
      #expect(zip(r, input.mask).allSatisfy { $1 >= 0.5 || $0 == 0 })
    }
    let signs = bank.signs.flatMap { $0 }
    #expect(signs.allSatisfy { $0 == 1 || $0 == -1 })
    let positive = Double(signs.filter { $0 > 0 }.count) / Double(signs.count)
    #expect(abs(positive - 0.5) < 0.005)
    #expect(bank.signs[0] != bank.signs[1])
  }

  /// The analyzer's matched noise alignment equals the mean of |cos(u, ρ_j ⊙ |∇g|)| computed here from
  /// explicit draws; a model gradient outside the feature's support gets exactly 0.
  @Test func matchedNoiseAlignmentUsesTheMatchedDraws() throws {
    let input = FeatureTestInputs.random(seed: 51)
    let feature = try #require(FeatureCatalog.named("intensity.mean"))
    let g = try #require(feature.evaluate(input).gradient)
    let u = FeatureTestInputs.gaussianVector(seed: 52)
    let analyzer = AlignmentAnalyzer(features: [feature], settings: AlignmentSettings(baseline: .matched))
    let got = try #require(analyzer.analyze(input, gradients: [u])[0].features[0].noiseAlignment)
    let expected = (0..<32).map { AlignmentTestSupport.absCosine(u, bank.matched(g, draw: $0)) }.reduce(0, +) / 32
    print("matched noise alignment \(got) vs explicit draws \(expected)")
    // The analyzer forms u ⊙ |∇g| in float (rounding ~6e-8 per entry, averaging out over 12288).
    #expect(abs(got - expected) < 1e-9)
    let outside = zip(u, input.mask).map { $1 >= 0.5 ? 0 : $0 }
    #expect(analyzer.analyze(input, gradients: [outside])[0].features[0].noiseAlignment == 0)
  }
}
