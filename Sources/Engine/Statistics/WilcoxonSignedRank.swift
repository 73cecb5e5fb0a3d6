// WilcoxonSignedRank: the signed-rank test of whether paired differences d_i are centred above 0
// (DESIGN §2: d_i = feature alignment − noise alignment of patient i).
//
// Zero differences are dropped (Wilcoxon's own rule); the n left are ranked by |d| with tied ranks
// averaged; the statistic is W+ = the sum of the ranks of positive differences.
// p-value: exact (the null distribution of W+ counted by dynamic programming over the 2ⁿ sign
// patterns) when n ≤ 50 and no |d| are tied; otherwise the normal approximation with mean
// n(n+1)/4, variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups of size t, and a continuity
// correction of ½ toward the mean. This is scipy.stats.wilcoxon's zero_method="wilcox",
// method "exact" / "asymptotic" with correction=True.

import Glibc

/// The direction of a one- or two-sided test.
public enum TestAlternative: String, Sendable, Codable, CaseIterable {
  /// The differences are centred above 0 (the importance test's question).
  case greater
  case less
  case twoSided = "two-sided"
}

/// The outcome of a Wilcoxon signed-rank test.
public struct WilcoxonResult: Sendable, Equatable, Codable {
  public enum Method: String, Sendable, Equatable, Codable {
    case exact
    /// Normal approximation with tie and continuity corrections.
    case normal
  }
  /// Differences used (non-zero).
  public var n: Int
  /// Zero differences dropped.
  public var zeros: Int
  /// W+, the sum of the ranks of the positive differences.
  public var statistic: Double
  public var pValue: Double
  public var method: Method
  /// The continuity-corrected z of the normal approximation (nil when exact).
  public var z: Double?
}

public enum WilcoxonSignedRank {
  /// Largest n for which the exact distribution is used (when there are no ties).
  public static let exactLimit = 50

  /// Tests `differences` (finite values; zeros are dropped). Nil when no difference is non-zero.
  /// `method: .normal` forces the approximation; the exact distribution is used only where it is
  /// exact and cheap (n ≤ 50, no ties).
  public static func test(_ differences: [Double], alternative: TestAlternative = .greater,
                          method: WilcoxonResult.Method? = nil) -> WilcoxonResult? {
    precondition(differences.allSatisfy(\.isFinite), "Wilcoxon differences must be finite")
    let nonZero = differences.filter { $0 != 0 }
    let n = nonZero.count
    guard n > 0 else { return nil }
    let (ranks, tieGroups) = averageRanks(nonZero.map(Swift.abs))
    var statistic = 0.0
    for (d, rank) in zip(nonZero, ranks) where d > 0 { statistic += rank }
    let zeros = differences.count - n

    if tieGroups.isEmpty && n <= exactLimit && method != .normal {
      let p = exactP(statistic: Int(statistic), n: n, alternative: alternative)
      return WilcoxonResult(n: n, zeros: zeros, statistic: statistic, pValue: p, method: .exact, z: nil)
    }
    let count = Double(n)
    let mean = count * (count + 1) / 4
    let tieTerm = tieGroups.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
    let sd = ((count * (count + 1) * (2 * count + 1) - tieTerm / 2) / 24).squareRoot()
    let (z, p): (Double, Double)
    switch alternative {
    case .greater:
      z = (statistic - mean - 0.5) / sd
      p = upperNormalTail(z)
    case .less:
      z = (statistic - mean + 0.5) / sd
      p = upperNormalTail(-z)
    case .twoSided:
      let shift = statistic > mean ? 0.5 : (statistic < mean ? -0.5 : 0)
      z = (statistic - mean - shift) / sd
      p = min(1, 2 * upperNormalTail(Swift.abs(z)))
    }
    return WilcoxonResult(n: n, zeros: zeros, statistic: statistic, pValue: p, method: .normal, z: z)
  }

  /// P(Z > z) for a standard normal Z, accurate far into the tail.
  static func upperNormalTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

  /// Ranks 1…n of `values` (ascending, ties averaged), and the sizes of the tie groups (> 1).
  package static func averageRanks(_ values: [Double]) -> (ranks: [Double], tieGroups: [Int]) {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var groups: [Int] = []
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
      let rank = Double(start + 1 + end) / 2          // mean of ranks start+1 … end
      for k in start..<end { ranks[order[k]] = rank }
      if end - start > 1 { groups.append(end - start) }
      start = end
    }
    return (ranks, groups)
  }

  /// The exact p-value of W+ = `statistic` among n untied ranks: the number of sign patterns with
  /// each sum, counted exactly in Double (at most 2⁵⁰ < 2⁵³), over 2ⁿ.
  package static func exactP(statistic: Int, n: Int, alternative: TestAlternative) -> Double {
    let total = n * (n + 1) / 2
    var counts = [Double](repeating: 0, count: total + 1)
    counts[0] = 1
    for k in 1...n {
      for sum in stride(from: k * (k + 1) / 2, through: k, by: -1) { counts[sum] += counts[sum - k] }
    }
    let patterns = pow(2.0, Double(n))
    let atLeast = counts[statistic...].reduce(0, +) / patterns      // P(W+ ≥ statistic)
    let atMost = counts[...statistic].reduce(0, +) / patterns       // P(W+ ≤ statistic)
    switch alternative {
    case .greater: return atLeast
    case .less: return atMost
    case .twoSided: return min(1, 2 * min(atLeast, atMost))
    }
  }
}
