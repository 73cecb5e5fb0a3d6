// MetastasisRule: the documented logistic rule that gives each synthetic patient a probability of
// distant metastasis from the tumour's true volume, irregularity and heterogeneity only. Position,
// mean intensity, nodes and the clinical columns other than T stage play no part (negative
// controls); T stage follows volume, so it is predictive only through it.

import Glibc

public enum MetastasisRule {
  /// Reference values: a 24 mm sphere (the median drawn size), the middle irregularity and heterogeneity.
  public static let referenceVolume = Double.pi / 6 * 24 * 24 * 24        // mm³
  /// Centres and spreads that make each term about a z-score under the generator's distributions
  /// (measured over 20 000 drawn patients): ln(V/V₀) has mean ≈ 0 and sd 0.86 (ln D ~ N(ln 24, 0.30)
  /// truncated to 10…48 mm); irregularity has mean 0.14 and sd 0.064 (range 0.02…0.25);
  /// heterogeneity ~ U[0, 1] has sd 1/√12.
  public static let volumeSpread = 0.86, irregularityCentre = 0.14, irregularitySpread = 0.064
  public static let heterogeneityCentre = 0.5, heterogeneitySpread = 0.2887
  /// Coefficients: intercept and per-z-score log-odds.
  public static let intercept = -1.7
  public static let volumeWeight = 1.2, irregularityWeight = 1.0, heterogeneityWeight = 1.0

  /// logit p = −1.7 + 1.2 · ln(V / V₀) / 0.86 + 1.0 · (irregularity − 0.14) / 0.064
  ///               + 1.0 · (heterogeneity − 0.5) / 0.2887,
  /// V in mm³ and V₀ the volume of a 24 mm sphere (7238 mm³).
  public static func logit(volume: Double, irregularity: Double, heterogeneity: Double) -> Double {
    intercept
      + volumeWeight * log(max(volume, 1e-9) / referenceVolume) / volumeSpread
      + irregularityWeight * (irregularity - irregularityCentre) / irregularitySpread
      + heterogeneityWeight * (heterogeneity - heterogeneityCentre) / heterogeneitySpread
  }

  /// The probability of distant metastasis, 1 / (1 + e^−logit).
  public static func probability(volume: Double, irregularity: Double, heterogeneity: Double) -> Double {
    1 / (1 + exp(-logit(volume: volume, irregularity: irregularity, heterogeneity: heterogeneity)))
  }
}
