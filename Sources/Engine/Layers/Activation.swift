// Elementwise activations a = σ(z). Shapes: val[i] and val[i+1] are the same buffer shape.
//   forward   a = σ(z)                    tangent   ȧ = σ'(z) ż
//   backward  z̄ = σ'(z) ā                 dual      z̄ = σ'(z) ā + σ''(z) ż ǡ,  ż̄ = σ'(z) ǡ
// SiLU σ(z) = z s, s = 1/(1+e^−z): σ' = s (1 + z (1 − s)), σ'' = s (1 − s) (2 + z (1 − 2s)).
// ReLU σ(z) = max(z, 0): σ' = 1 for z > 0 else 0 (PyTorch's choice at 0), σ'' = 0.
// Padded lanes hold 0 and stay 0 (σ(0) = 0 for both). Scratch (SiLU): s from the forward pass,
// so later passes need no exponentials.

/// The elementwise activation functions.
enum ActivationKind: Sendable {
  case silu, relu
}

struct ActivationLayer: NetworkLayer {
  let kind: ActivationKind
  let input: BufferShape
  var output: BufferShape { input }
  /// Whole vectors cover the buffer; a tail is gathered into a zero-padded vector.
  var scratchCount: Int { kind == .silu ? roundUpToLanes(input.count) : 0 }

  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    switch kind {
    case .silu:
      sweep(b.val, b.scratch, nil, nil) { z, _, _ in sigmoid16(z) }
      sweep(b.val, b.valOut, b.scratch, nil) { z, s, _ in z * s }
    case .relu:
      sweep(b.val, b.valOut, nil, nil) { z, _, _ in atLeast(z, F16()) }
    }
  }

  /// What a preceding convolution computes for this layer in its forward pass (same result as
  /// `forward`), so that `forward` can be skipped.
  /// For SiLU the sigmoid goes to this layer's scratch (a fused pool picks it at the winners).
  func epilogue(_ b: LayerBuffers) -> ConvolutionEpilogue {
    ConvolutionEpilogue(kind: kind, activation: b.valOut, sigmoid: kind == .silu ? b.scratch : nil)
  }

  func tangent(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    switch kind {
    case .silu: sweep(b.val, b.tanOut, b.scratch, b.tan) { z, s, dz in s * (1 + z * (1 - s)) * dz }
    case .relu: sweep(b.val, b.tanOut, b.tan, nil) { z, dz, _ in keepWherePositive(z, dz) }
    }
  }

  func backward(_ b: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions) {
    guard options.needInputAdjoint else { return }
    switch kind {
    case .silu:
      if options.dual {
        // ż̄ = σ'(z) ǡ first (it reads only ǡ), then z̄ = σ'(z) ā + σ''(z) ż ǡ.
        sweep(b.val, b.tadj, b.scratch, b.tadjOut) { z, s, ta in s * (1 + z * (1 - s)) * ta }
        let n = input.count
        var i = 0
        while i < n {
          let z = load16(b.val + i), s = load16(b.scratch + i)
          let (dz, a, ta) = i + 16 <= n ? (load16(b.tan + i), load16(b.adjOut + i), load16(b.tadjOut + i))
            : (gather(b.tan, i, n), gather(b.adjOut, i, n), gather(b.tadjOut, i, n))
          let oneMinus: F16 = 1 - s
          let first: F16 = s * (1 + z * oneMinus)
          let second: F16 = s * oneMinus * (2 + z * (1 - 2 * s))
          let result: F16 = first * a + second * (dz * ta)
          if i + 16 <= n { store16(result, b.adj + i) } else { scatter(result, b.adj, i, n) }
          i += 16
        }
      } else {
        sweep(b.val, b.adj, b.scratch, b.adjOut) { z, s, a in s * (1 + z * (1 - s)) * a }
      }
    case .relu:
      sweep(b.val, b.adj, b.adjOut, nil) { z, a, _ in keepWherePositive(z, a) }
      if options.dual { sweep(b.val, b.tadj, b.tadjOut, nil) { z, a, _ in keepWherePositive(z, a) } }
    }
  }

  /// out = f(z, p, q) over the buffer, 16 lanes at a time; a short tail is gathered and scattered.
  @inline(__always)
  private func sweep(_ z: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                     _ p: UnsafePointer<Float>?, _ q: UnsafePointer<Float>?, _ f: (F16, F16, F16) -> F16) {
    let n = input.count
    var i = 0
    while i + 16 <= n {
      store16(f(load16(z + i), p.map { load16($0 + i) } ?? F16(), q.map { load16($0 + i) } ?? F16()), out + i)
      i += 16
    }
    if i < n {
      scatter(f(gather(z, i, n), p.map { gather($0, i, n) } ?? F16(), q.map { gather($0, i, n) } ?? F16()), out, i, n)
    }
  }

  @inline(__always) private func gather(_ p: UnsafePointer<Float>, _ i: Int, _ n: Int) -> F16 {
    var v = F16()
    for j in 0..<(n - i) { v[j] = p[i + j] }
    return v
  }

  @inline(__always) private func scatter(_ v: F16, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ n: Int) {
    for j in 0..<(n - i) { p[i + j] = v[j] }
  }
}
