// The alignment penalty of regularized training (DESIGN §2): for a sample with input gradient
// u = ∇ₓf and feature directions d_1…d_K, pen = 1 − ‖P u‖² / ‖u‖², P the orthogonal projector
// onto span{d_k}. Computed in Double. Its gradient with respect to u,
//   ∂pen/∂u = −2 P u / ‖u‖² + 2 ‖P u‖² u / ‖u‖⁴,
// is the direction v of the tangent pass whose reverse gives the exact parameter gradient.

public enum AlignmentPenalty {
  /// Directions, and gradients u, with a norm below this are treated as absent.
  public static let normFloor = 1e-12
  /// A direction whose component orthogonal to the earlier ones is below this fraction of its
  /// own norm is linearly dependent on them and dropped.
  public static let dependenceTolerance = 1e-6

  /// An orthonormal basis of span{directions} by modified Gram–Schmidt, applied twice for
  /// orthogonality in floating point; near-zero and linearly dependent directions are dropped.
  public static func basis(_ directions: [[Float]]) -> [[Double]] {
    var basis: [[Double]] = []
    for direction in directions {
      var r = direction.map(Double.init)
      let norm = dot(r, r).squareRoot()
      guard norm >= normFloor else { continue }
      for _ in 0..<2 {
        for q in basis {
          let c = dot(q, r)
          for i in r.indices { r[i] -= c * q[i] }
        }
      }
      let residual = dot(r, r).squareRoot()
      guard residual >= dependenceTolerance * norm, residual >= normFloor else { continue }
      basis.append(r.map { $0 / residual })
    }
    return basis
  }

  /// pen and ∂pen/∂u for gradient `u` and an orthonormal `basis`; nil when the sample contributes
  /// nothing (no basis vector, or ‖u‖ < `normFloor`).
  public static func evaluate(u: UnsafeBufferPointer<Float>, basis: [[Double]]) -> (value: Double, gradient: [Double])? {
    guard !basis.isEmpty else { return nil }
    let uu = sum(u.count) { Double(u[$0]) * Double(u[$0]) }
    guard uu.squareRoot() >= normFloor else { return nil }
    // P u = Σ_k ⟨q_k, u⟩ q_k.
    var projected = [Double](repeating: 0, count: u.count)
    var pp = 0.0
    for q in basis {
      let c = sum(u.count) { q[$0] * Double(u[$0]) }
      pp += c * c
      for i in 0..<u.count { projected[i] += c * q[i] }
    }
    let value = 1 - pp / uu
    let a = -2 / uu, b = 2 * pp / (uu * uu)
    var gradient = projected
    for i in 0..<u.count { gradient[i] = a * projected[i] + b * Double(u[i]) }
    return (value, gradient)
  }

  /// |⟨u, d⟩| / (‖u‖ ‖d‖), or nil when either norm is below `normFloor`.
  public static func absoluteCosine(_ u: UnsafeBufferPointer<Float>, _ d: UnsafeBufferPointer<Float>) -> Double? {
    var ud = 0.0, uu = 0.0, dd = 0.0
    for i in 0..<u.count {
      let a = Double(u[i]), b = Double(d[i])
      ud += a * b; uu += a * a; dd += b * b
    }
    guard uu.squareRoot() >= normFloor, dd.squareRoot() >= normFloor else { return nil }
    return abs(ud) / (uu * dd).squareRoot()
  }

  private static func dot(_ a: [Double], _ b: [Double]) -> Double {
    sum(min(a.count, b.count)) { a[$0] * b[$0] }
  }

  /// Σ term(i) for i < count, as four interleaved partial sums added in a fixed order at the end:
  /// deterministic, and four independent chains of additions instead of one serial chain (the
  /// sums over 3·64·64 elements per sample were a visible part of a regularized step).
  @inline(__always) private static func sum(_ count: Int, _ term: (Int) -> Double) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= count {
      s0 += term(i); s1 += term(i + 1); s2 += term(i + 2); s3 += term(i + 3)
      i += 4
    }
    while i < count { s0 += term(i); i += 1 }
    return (s0 + s1) + (s2 + s3)
  }
}
