// The per-feature cohort summary on hand-built patient results whose figures are known.
import Testing
import Engine

@Suite struct StatisticsSummaryTests {
  /// Patient i of 10: "strong" has a = 0.5 + i/100 against noise 0.01 (every d > 0, distinct: exact
  /// p = 2⁻¹⁰); "null" has d = ±(i + 1)/1000 alternating, symmetric about 0; "sparse" is undefined for
  /// the first 4 patients (value undefined for 2 of them, zero gradient for 2); "never" is always undefined.
  func patients() -> [PatientAlignment] {
    (0..<10).map { i in
      let x = Double(i)
      let sign = i % 2 == 0 ? 1.0 : -1.0
      return PatientAlignment(logit: 0, gradientNorm: 1, features: [
        FeatureAlignment(feature: "strong", value: x, alignment: 0.5 + x / 100, noiseAlignment: 0.01,
                         pointsUsed: 1, undefinedReason: nil),
        FeatureAlignment(feature: "null", value: x, alignment: 0.02 + sign * (x + 1) / 1000,
                         noiseAlignment: 0.02, pointsUsed: 1, undefinedReason: nil),
        i < 4
          ? FeatureAlignment(feature: "sparse", value: i < 2 ? nil : x, alignment: nil, noiseAlignment: nil,
                             pointsUsed: 0, undefinedReason: i < 2 ? "empty mask" : "feature gradient is zero")
          : FeatureAlignment(feature: "sparse", value: x, alignment: 0.3, noiseAlignment: 0.1 + x / 100,
                             pointsUsed: 1, undefinedReason: nil),
        FeatureAlignment(feature: "never", value: nil, alignment: nil, noiseAlignment: nil,
                         pointsUsed: 0, undefinedReason: "empty mask"),
      ])
    }
  }

  @Test func figuresCountsAndSignificance() throws {
    let summaries = CohortStatistics.summarize(patients(), features: ["strong", "null", "sparse", "never"])
    let strong = summaries[0], null = summaries[1], sparse = summaries[2], never = summaries[3]

    #expect(strong.pairs == 10 && strong.undefinedAlignments == 0 && strong.undefinedValues == 0)
    #expect(abs((strong.meanAlignment ?? 0) - 0.545) < 1e-12)
    #expect(abs((strong.meanNoise ?? 0) - 0.01) < 1e-12)
    #expect(abs((strong.ratio ?? 0) - 54.5) < 1e-9)
    #expect(abs((strong.meanDifference ?? 0) - 0.535) < 1e-12)
    #expect(strong.wilcoxon?.method == .exact && strong.pValue == 1.0 / 1024)
    // Holm over the three features with a test: 3 · 2⁻¹⁰ is the smallest.
    #expect(abs((strong.adjustedP ?? 1) - 3.0 / 1024) < 1e-15)
    #expect((strong.ciLower ?? 0) > 0.5 && (strong.ciUpper ?? 1) < 0.58)
    #expect(strong.significant)

    #expect(null.pairs == 10 && (null.pValue ?? 0) > 0.3 && !null.significant)
    #expect((null.ciLower ?? 0) < 0 && (null.ciUpper ?? 0) > 0)

    #expect(sparse.patients == 10 && sparse.pairs == 6 && sparse.undefinedAlignments == 4 && sparse.undefinedValues == 2)
    #expect(abs((sparse.meanNoise ?? 0) - 0.165) < 1e-12)
    // Six positive differences: exact p = 2⁻⁶, adjusted ×2 (second smallest of three) = 0.03125.
    #expect(sparse.pValue == 1.0 / 64 && abs((sparse.adjustedP ?? 1) - 2.0 / 64) < 1e-15)
    #expect(sparse.significant)

    #expect(never.pairs == 0 && never.undefinedValues == 10 && never.undefinedAlignments == 10)
    #expect(never.meanAlignment == nil && never.ciLower == nil && never.wilcoxon == nil && never.adjustedP == nil)
    #expect(!never.significant)
  }

  @Test func summaryOfOneFeatureDoesNotDependOnTheOthersShownExceptHolm() {
    let all = CohortStatistics.summarize(patients(), features: ["strong", "null", "sparse"])
    let alone = CohortStatistics.summarize(patients(), features: ["strong"])[0]
    #expect(alone.ciLower == all[0].ciLower && alone.ciUpper == all[0].ciUpper && alone.pValue == all[0].pValue)
    #expect(alone.adjustedP == alone.pValue)
  }

  @Test func lowerIntervalBoundAtOrBelowZeroIsNotSignificant() {
    // All d > 0 but one huge negative: the test rejects, the interval does not clear 0.
    var results = patients()
    results[0].features[0].alignment = -50
    let strong = CohortStatistics.summarize(results, features: ["strong"])[0]
    // W+ = 45 of 55: p = 43/1024 < 0.05 on its own, but the interval contains 0.
    #expect(abs((strong.adjustedP ?? 1) - 43.0 / 1024) < 1e-15)
    #expect((strong.ciLower ?? 1) <= 0)
    #expect(!strong.significant)
  }
}
