// CohortStatistics: the importance test of DESIGN §2 for each feature over a set of patients, for
// one model: mean alignment, mean noise alignment, their ratio, a bootstrap CI of the mean paired
// difference d_i = a_k(x_i) − noise_i, a one-sided Wilcoxon signed-rank p for d > 0, Holm-adjusted
// p across the features summarised together, and a significance flag.
//
// The means, the ratio, the CI and the test all use the same patients: those whose alignment (and
// hence noise alignment) is defined. The others are counted, never turned into 0.

/// The test settings (defaults are DESIGN §2's).
public struct SummarySettings: Sendable, Equatable, Codable {
  /// B, bootstrap resamples.
  public var resamples: Int
  /// Confidence level of the interval.
  public var level: Double
  /// Seed of the bootstrap (the same for every feature, so a feature's interval does not depend on
  /// which other features are shown).
  public var seed: UInt64
  /// α of the significance flag (on Holm-adjusted p).
  public var significanceLevel: Double

  public init(resamples: Int = 1000, level: Double = 0.95, seed: UInt64 = 0x464746_B007,
              significanceLevel: Double = 0.05) {
    self.resamples = resamples
    self.level = level
    self.seed = seed
    self.significanceLevel = significanceLevel
  }
}

/// One feature's figures over a set of patients for one model.
public struct FeatureSummary: Sendable, Equatable, Codable {
  public var feature: String
  /// Patients considered.
  public var patients: Int
  /// Patients with a defined alignment: the n of the means, the interval and the test.
  public var pairs: Int
  /// Patients where the feature's value is undefined (empty mask, zero variance, …).
  public var undefinedValues: Int
  /// Patients where the alignment is undefined (including those with an undefined value, and zero
  /// gradients); patients = pairs + undefinedAlignments.
  public var undefinedAlignments: Int
  /// Mean a_k.
  public var meanAlignment: Double?
  /// Mean noise alignment.
  public var meanNoise: Double?
  /// meanAlignment / meanNoise (nil when the noise mean is 0).
  public var ratio: Double?
  /// Mean d = meanAlignment − meanNoise.
  public var meanDifference: Double?
  /// Percentile bootstrap interval of mean d.
  public var ciLower: Double?
  public var ciUpper: Double?
  /// One-sided (d > 0) Wilcoxon signed-rank test; nil when no d is non-zero.
  public var wilcoxon: WilcoxonResult?
  /// Holm-adjusted p across the features summarised together.
  public var adjustedP: Double?
  /// adjustedP < α and ciLower > 0.
  public var significant: Bool

  /// The unadjusted p-value.
  public var pValue: Double? { wilcoxon?.pValue }
}

public enum CohortStatistics {
  /// Summaries of `features` (names as in the patients' results) over `patients`, all for one model,
  /// in the order of `features`. Holm's adjustment runs across exactly these features.
  public static func summarize(_ patients: [PatientAlignment], features: [String],
                               settings: SummarySettings = SummarySettings()) -> [FeatureSummary] {
    var summaries = features.map { name in summarizeOne(name, patients, settings) }
    let adjusted = HolmAdjustment.adjust(summaries.map(\.pValue))
    for k in summaries.indices {
      summaries[k].adjustedP = adjusted[k]
      summaries[k].significant = (adjusted[k] ?? 1) < settings.significanceLevel && (summaries[k].ciLower ?? 0) > 0
    }
    return summaries
  }

  private static func summarizeOne(_ name: String, _ patients: [PatientAlignment],
                                   _ settings: SummarySettings) -> FeatureSummary {
    var alignments: [Double] = [], noises: [Double] = []
    var undefinedValues = 0
    for patient in patients {
      guard let result = patient.features.first(where: { $0.feature == name }) else {
        preconditionFailure("patient results lack feature \(name)")
      }
      if result.value == nil { undefinedValues += 1 }
      if let a = result.alignment, let n = result.noiseAlignment {
        alignments.append(a)
        noises.append(n)
      }
    }
    let pairs = alignments.count
    var summary = FeatureSummary(
      feature: name, patients: patients.count, pairs: pairs, undefinedValues: undefinedValues,
      undefinedAlignments: patients.count - pairs, significant: false)
    guard pairs > 0 else { return summary }
    let differences = zip(alignments, noises).map { $0 - $1 }
    let meanAlignment = alignments.reduce(0, +) / Double(pairs)
    let meanNoise = noises.reduce(0, +) / Double(pairs)
    summary.meanAlignment = meanAlignment
    summary.meanNoise = meanNoise
    summary.ratio = meanNoise > 0 ? meanAlignment / meanNoise : nil
    summary.meanDifference = differences.reduce(0, +) / Double(pairs)
    if let interval = Bootstrap.meanInterval(differences, resamples: settings.resamples, level: settings.level,
                                             seed: settings.seed) {
      summary.ciLower = interval.lower
      summary.ciUpper = interval.upper
    }
    summary.wilcoxon = WilcoxonSignedRank.test(differences, alternative: .greater)
    return summary
  }
}
