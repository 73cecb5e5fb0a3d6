// Bootstrap: a percentile bootstrap confidence interval of a mean (DESIGN §2: of the mean paired
// difference, B = 1000, seeded).
//
// B resamples of n values drawn with replacement (SeededRandom(seed:), indices uniform without
// modulo bias); the interval is the (1 − level)/2 and (1 + level)/2 quantiles of the B resample
// means, quantiles by linear interpolation between order statistics (Hyndman & Fan type 7, numpy's
// and R's default): q(p) = v[⌊h⌋] + (h − ⌊h⌋)(v[⌊h⌋+1] − v[⌊h⌋]), h = (B − 1) p, v sorted, 0-based.

import Common

public enum Bootstrap {
  /// The percentile interval of the mean of `values`; nil when there are none.
  public static func meanInterval(_ values: [Double], resamples: Int = 1000, level: Double = 0.95,
                                  seed: UInt64) -> (lower: Double, upper: Double)? {
    precondition(resamples > 0 && level > 0 && level < 1)
    guard !values.isEmpty else { return nil }
    var random = SeededRandom(seed: seed)
    let n = values.count
    var means = [Double](repeating: 0, count: resamples)
    for b in 0..<resamples {
      var sum = 0.0
      for _ in 0..<n { sum += values[random.index(n)] }
      means[b] = sum / Double(n)
    }
    means.sort()
    return (quantile(sorted: means, (1 - level) / 2), quantile(sorted: means, (1 + level) / 2))
  }

  /// The p-quantile (type 7) of ascending `sorted` values (not empty), p in [0, 1].
  public static func quantile(sorted: [Double], _ p: Double) -> Double {
    precondition(!sorted.isEmpty && p >= 0 && p <= 1)
    let h = Double(sorted.count - 1) * p
    let below = Int(h.rounded(.down))
    guard below + 1 < sorted.count else { return sorted[sorted.count - 1] }
    return sorted[below] + (h - Double(below)) * (sorted[below + 1] - sorted[below])
  }
}
