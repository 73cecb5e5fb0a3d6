// The Wilcoxon signed-rank test against published worked examples and scipy.stats.wilcoxon
// (scipy 1.17.1, zero_method="wilcox", correction=True), and its exact null distribution against
// exact rational counts (a Python dynamic programme over fractions.Fraction).
import Testing
import Engine
import Glibc

@Suite struct StatisticsWilcoxonTests {
  /// Hollander & Wolfe (1973, p. 29; R's `wilcox.test` example): Hamilton depression scale of 9
  /// patients before (x) and after (y) a tranquilliser. Published: V = 40, one-sided p = 0.01953
  /// (exactly 5/256). No ties, n = 9: exact.
  static let before = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
  static let after = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
  var hollanderWolfe: [Double] { zip(Self.before, Self.after).map { $0 - $1 } }

  @Test func hollanderWolfeExact() throws {
    let cases: [(TestAlternative, Double)] = [(.greater, 0.01953125), (.twoSided, 0.0390625), (.less, 0.986328125)]
    for (alternative, expected) in cases {
      let result = try #require(WilcoxonSignedRank.test(hollanderWolfe, alternative: alternative))
      #expect(result.statistic == 40 && result.n == 9 && result.zeros == 0 && result.method == .exact)
      #expect(abs(result.pValue - expected) < 1e-15, "\(alternative): \(result.pValue)")
    }
  }

  /// The same data with the normal approximation forced (scipy method="asymptotic").
  @Test func hollanderWolfeNormalApproximation() throws {
    let cases: [(TestAlternative, Double)] = [
      (.greater, 0.022005492006475714), (.twoSided, 0.04401098401295143), (.less, 0.98351530937789),
    ]
    var worst = 0.0
    for (alternative, expected) in cases {
      let result = try #require(WilcoxonSignedRank.test(hollanderWolfe, alternative: alternative, method: .normal))
      #expect(result.method == .normal)
      worst = max(worst, abs(result.pValue - expected))
    }
    print("Wilcoxon normal approximation vs scipy (Hollander & Wolfe): max difference \(worst) (tolerance 1e-12)")
    #expect(worst < 1e-12)
  }

  /// Wikipedia's worked example ("Wilcoxon signed-rank test", 10 pairs): one zero difference
  /// (dropped, n = 9) and a tie (|d| = 5 twice, ranks 1.5 each). W+ = 27 (signed-rank sum 27 − 18 = 9).
  /// Ties → normal approximation with tie correction; p from scipy.
  @Test func wikipediaExampleWithZeroAndTies() throws {
    let x2: [Double] = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135]
    let x1: [Double] = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145]
    let d = zip(x2, x1).map { $0 - $1 }
    let cases: [(TestAlternative, Double)] = [
      (.greater, 0.31764465941760345), (.twoSided, 0.6352893188352069), (.less, 0.7233656428900035),
    ]
    var worst = 0.0
    for (alternative, expected) in cases {
      let result = try #require(WilcoxonSignedRank.test(d, alternative: alternative))
      #expect(result.statistic == 27 && result.n == 9 && result.zeros == 1 && result.method == .normal)
      worst = max(worst, abs(result.pValue - expected))
    }
    print("Wilcoxon with ties vs scipy (Wikipedia example): max difference \(worst) (tolerance 1e-12)")
    #expect(worst < 1e-12)
    let (ranks, ties) = WilcoxonSignedRank.averageRanks(d.filter { $0 != 0 }.map(abs))
    #expect(ties == [2])
    #expect(ranks == [7, 3, 1.5, 9, 4, 8, 6, 1.5, 5])
  }

  /// n = 60 > 50 without ties: normal approximation. d_i = sin(i)·i/10 + 0.3, i = 1…60.
  @Test func largeSampleUsesTheNormalApproximation() throws {
    let d = (1...60).map { Double($0) }.map { sin($0) * $0 / 10 + 0.3 }
    let greater = try #require(WilcoxonSignedRank.test(d))
    #expect(greater.method == .normal && greater.statistic == 1070)
    #expect(abs(greater.pValue - 0.12769230963925698) < 1e-12)
    let twoSided = try #require(WilcoxonSignedRank.test(d, alternative: .twoSided))
    #expect(abs(twoSided.pValue - 0.25538461927851397) < 1e-12)
  }

  /// P(W+ ≥ w) for n untied ranks, against exact fractions.
  @Test func exactNullDistribution() {
    let cases: [(n: Int, w: Int, p: Double)] = [
      (10, 45, 43.0 / 1024), (10, 27, 69.0 / 128), (20, 150, 51017.0 / 1_048_576),
      (50, 800, 66_701_314_611_351.0 / 1_125_899_906_842_624), (50, 900, 5_948_494_216_153.0 / 1_125_899_906_842_624),
      (1, 1, 0.5), (9, 40, 5.0 / 256),
    ]
    for c in cases {
      let p = WilcoxonSignedRank.exactP(statistic: c.w, n: c.n, alternative: .greater)
      #expect(abs(p - c.p) <= 1e-15 * c.p, "n \(c.n), w \(c.w): \(p) vs \(c.p)")
    }
    #expect(WilcoxonSignedRank.exactP(statistic: 0, n: 12, alternative: .greater) == 1)
    #expect(WilcoxonSignedRank.exactP(statistic: 78, n: 12, alternative: .greater) == 1.0 / 4096)
  }

  @Test func allZeroDifferencesHaveNoTest() {
    #expect(WilcoxonSignedRank.test([0, 0, 0]) == nil)
    #expect(WilcoxonSignedRank.test([]) == nil)
  }
}
