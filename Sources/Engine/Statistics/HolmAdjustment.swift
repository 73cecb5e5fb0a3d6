// HolmAdjustment: Holm's step-down adjustment of p-values for testing several features at once
// (Holm 1979), controlling the family-wise error rate without assuming independence.
//
// With the m defined p-values sorted, p(1) ≤ … ≤ p(m): adjusted p(i) = max_{j ≤ i} min(1, (m − j + 1) p(j)).
// Rejecting where the adjusted p < α is Holm's procedure at level α.

public enum HolmAdjustment {
  /// Adjusted p-values in the order given. Nil entries (features with no test) stay nil and do not
  /// count in m: a feature that could not be tested cannot be a false discovery.
  public static func adjust(_ pValues: [Double?]) -> [Double?] {
    let defined = pValues.indices.filter { pValues[$0] != nil }
    // Stable order: equal p-values keep their input order.
    let order = defined.sorted { (pValues[$0] ?? 1, $0) < (pValues[$1] ?? 1, $1) }
    let m = order.count
    var adjusted = [Double?](repeating: nil, count: pValues.count)
    var running = 0.0
    for (rank, index) in order.enumerated() {
      let p = pValues[index] ?? 1
      running = max(running, min(1, Double(m - rank) * p))
      adjusted[index] = running
    }
    return adjusted
  }
}
