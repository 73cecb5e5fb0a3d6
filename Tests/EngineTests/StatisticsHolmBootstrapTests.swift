// Holm's adjustment on a worked example, and the percentile bootstrap's quantiles and intervals.
import Testing
import Engine
import Common

@Suite struct StatisticsHolmBootstrapTests {
  /// The worked example of Wikipedia's "Holm–Bonferroni method" (four hypotheses, α = 0.05):
  /// p = 0.01, 0.04, 0.03, 0.005; Holm rejects the hypotheses of 0.005 and 0.01 and stops at 0.03.
  /// Adjusted (R's p.adjust(…, "holm")): 0.03, 0.06, 0.06, 0.02.
  @Test func holmWorkedExample() {
    let adjusted = HolmAdjustment.adjust([0.01, 0.04, 0.03, 0.005])
    let expected = [0.03, 0.06, 0.06, 0.02]
    for (a, e) in zip(adjusted, expected) { #expect(abs((a ?? .nan) - e) < 1e-15) }
    #expect(adjusted.map { ($0 ?? 1) < 0.05 } == [true, false, false, true])
  }

  @Test func holmCapsAtOneKeepsMonotonicityAndSkipsMissingTests() {
    // Sorted 0.02, 0.5, 0.6 → 3·0.02, min(1, 2·0.5), max(1, 0.6).
    let adjusted = HolmAdjustment.adjust([0.5, 0.6, 0.02])
    #expect(adjusted == [1, 1, 0.06])
    // A feature with no test does not count in m.
    #expect(HolmAdjustment.adjust([nil, 0.01, 0.04]) == [nil, 0.02, 0.04])
    #expect(HolmAdjustment.adjust([]) == [])
  }

  /// Type-7 quantiles against numpy.percentile (numpy 2.4.6, default linear method).
  @Test func quantilesAreNumpysLinearInterpolation() {
    let v: [Double] = [1, 2, 4, 7, 11]
    let numpy: [(Double, Double)] = [(0, 1), (0.025, 1.1), (0.5, 4), (0.975, 10.6), (1, 11), (0.3, 2.4)]
    for (p, expected) in numpy {
      #expect(abs(Bootstrap.quantile(sorted: v, p) - expected) < 1e-12, "p \(p)")
    }
    #expect(Bootstrap.quantile(sorted: [3], 0.975) == 3)
  }

  @Test func intervalOfConstantValuesIsThePoint() {
    let interval = Bootstrap.meanInterval([0.25, 0.25, 0.25], seed: 1)
    #expect(interval?.lower == 0.25 && interval?.upper == 0.25)
    #expect(Bootstrap.meanInterval([], seed: 1) == nil)
  }

  /// For n = 400 draws of a normal sample, the 95% percentile interval ≈ mean ± 1.96 s/√n. With
  /// B = 1000 its ends carry a Monte Carlo error of a few % of the half-width; tolerance 10%.
  @Test func intervalMatchesNormalTheoryForALargeSample() throws {
    var random = SeededRandom(seed: 77)
    let values = (0..<400).map { _ in 0.1 + 0.5 * random.normal() }
    let mean = values.reduce(0, +) / 400
    let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 399).squareRoot()
    let halfWidth = 1.959964 * sd / 20
    let interval = try #require(Bootstrap.meanInterval(values, seed: 5))
    print("bootstrap interval \(interval) vs normal theory \(mean - halfWidth)…\(mean + halfWidth)")
    #expect(abs(interval.lower - (mean - halfWidth)) < 0.1 * halfWidth)
    #expect(abs(interval.upper - (mean + halfWidth)) < 0.1 * halfWidth)
    let again = try #require(Bootstrap.meanInterval(values, seed: 5))
    let other = try #require(Bootstrap.meanInterval(values, seed: 6))
    #expect(again == interval && other != interval)
  }
}
