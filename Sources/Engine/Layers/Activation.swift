// Elementwise activations a = σ(z). Shapes: val[i] and val[i+1] are the same buffer shape.
//   forward   a = σ(z)                    tangent   ȧ = σ'(z) ż
//   backward  z̄ = σ'(z) ā                 dual      z̄ = σ'(z) ā + σ''(z) ż ǡ,  ż̄ = σ'(z) ǡ
// SiLU σ(z) = z s, s = 1/(1+e^−z): σ' = s (1 + z (1 − s)), σ'' = s (1 − s) (2 + z (1 − 2s)).
// ReLU σ(z) = max(z, 0): σ' = 1 for z > 0 else 0 (PyTorch's choice at 0), σ'' = 0.
// Padded lanes hold 0 and stay 0 (σ(0) = 0 for both).

/// The elementwise activation functions.
enum ActivationKind: Sendable {
  case silu, relu
}

struct ActivationLayer: NetworkLayer {
  let kind: ActivationKind
  let input: BufferShape
  var output: BufferShape { input }

  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    apply(b.val, b.valOut, nil) { z, _ in value(z) }
  }

  func tangent(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    apply(b.val, b.tanOut, b.tan) { z, dz in firstDerivative(z) * dz }
  }

  func backward(_ b: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions) {
    guard options.needInputAdjoint else { return }
    if options.dual {
      // z̄ = σ'(z) ā + σ''(z) ż ǡ and ż̄ = σ'(z) ǡ, in one sweep.
      let n = input.count
      var i = 0
      while i + 16 <= n {
        let z = load16(b.val + i), dz = load16(b.tan + i), a = load16(b.adjOut + i), ta = load16(b.tadjOut + i)
        let (d1, d2) = derivatives(z)
        store16(d1 * a + d2 * dz * ta, b.adj + i)
        store16(d1 * ta, b.tadj + i)
        i += 16
      }
      if i < n {
        // Tail: gather into full vectors (zero lanes give zero), compute, scatter back.
        var z = F16(), dz = F16(), a = F16(), ta = F16()
        for j in 0..<(n - i) { z[j] = b.val[i + j]; dz[j] = b.tan[i + j]; a[j] = b.adjOut[i + j]; ta[j] = b.tadjOut[i + j] }
        let (d1, d2) = derivatives(z)
        let adj = d1 * a + d2 * dz * ta, tadj = d1 * ta
        for j in 0..<(n - i) { b.adj[i + j] = adj[j]; b.tadj[i + j] = tadj[j] }
      }
    } else {
      apply(b.val, b.adj, b.adjOut) { z, a in firstDerivative(z) * a }
    }
  }

  // MARK: the functions

  @inline(__always) private func value(_ z: F16) -> F16 {
    switch kind {
    case .silu: return z * sigmoid16(z)
    case .relu: return z.replacing(with: 0, where: z .<= 0)
    }
  }

  @inline(__always) private func firstDerivative(_ z: F16) -> F16 {
    switch kind {
    case .silu:
      let s = sigmoid16(z)
      return s * (1 + z * (1 - s))
    case .relu: return F16(repeating: 0).replacing(with: 1, where: z .> 0)
    }
  }

  @inline(__always) private func derivatives(_ z: F16) -> (F16, F16) {
    switch kind {
    case .silu:
      let s = sigmoid16(z)
      let oneMinus = 1 - s
      return (s * (1 + z * oneMinus), s * oneMinus * (2 + z * (1 - 2 * s)))
    case .relu: return (F16(repeating: 0).replacing(with: 1, where: z .> 0), F16())
    }
  }

  /// out = f(z, p) over the buffer, 16 lanes at a time with a gathered tail.
  @inline(__always)
  private func apply(_ z: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                     _ p: UnsafePointer<Float>?, _ f: (F16, F16) -> F16) {
    let n = input.count
    var i = 0
    while i + 16 <= n {
      store16(f(load16(z + i), p.map { load16($0 + i) } ?? F16()), out + i)
      i += 16
    }
    if i < n {
      // Tail: gather into a full vector, compute, scatter back.
      var zv = F16(), pv = F16()
      for j in 0..<(n - i) {
        zv[j] = z[i + j]
        if let p { pv[j] = p[i + j] }
      }
      let r = f(zv, pv)
      for j in 0..<(n - i) { out[i + j] = r[j] }
    }
  }
}
