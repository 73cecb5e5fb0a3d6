// An activation followed by MaxPool2d, run as one unit. Only a window's winner w carries anything
// through the pool, so the activation's derivatives are needed only at the winners: the forward
// pass records them per pooled value, and the later passes touch the full-size buffers once.
//   forward   y = max of the window of a = σ(z); z_w, σ'(z_w), σ''(z_w) kept
//   tangent   ẏ = σ'(z_w) ż_w                     (ż_w kept; ȧ is never formed)
//   backward  z̄_w = σ'(z_w) ȳ (+ σ''(z_w) ż_w ǧ),  ż̄_w = σ'(z_w) ǧ;  0 at every other input
// (ǧ: the tangent adjoint of the pooled value). The expressions are those of the two layers apart
// and s = sigmoid(z_w) is the epilogue's value picked at the winner (or recomputed by the same
// function), so results are bit-identical, while ȧ and the pool's input adjoint are never
// written. The winner's values are picked out of the window with whole-register masks (each
// lane has exactly one winner).

extension ActivationLayer {
  /// Whether this activation and the pool after it run fused: the pool reads this layer's output
  /// with a channel stride of whole vectors.
  func fuses(with pool: MaxPool2dLayer) -> Bool {
    pool.input == input && input.stride % vectorLanes == 0
  }

  /// The pool's forward pass after this activation's (b: this layer's buffers, p: the pool's):
  /// `p.valOut` and the winners as `MaxPool2dLayer.forward` gives them, plus z_w and the
  /// derivatives σ'(z_w), σ''(z_w) at the winners. `rows`: the pooled rows to do; their inputs
  /// z, a (and `sigmoid`) are read at offset −`bandOrigin` (a convolution with this activation as
  /// its epilogue computes one band of rows at a time into the start of its buffers, see
  /// `Conv2dLayer.forwardInBands`); winners stay full-size input indices. `sigmoid`: s(z) (the
  /// epilogue's), so that s(z_w) is picked rather than recomputed — the same function of the
  /// same z, so the same bits.
  func forwardThroughPool(_ pool: MaxPool2dLayer, _ b: LayerBuffers, _ p: LayerBuffers,
                          rows: Range<Int>? = nil, bandOrigin: Int = 0, sigmoid: UnsafePointer<Float>? = nil) {
    let winners = pool.winners(p.scratch), kept = pool.winnerValues(p.scratch)
    let silu = kind == .silu
    pool.forEachPooledVector(rows: rows ?? 0..<pool.output.height) { o, window in
      var best = F16(), index = SIMD16<Int32>(), z = F16(), s = F16(), first = true
      window.visit { at in
        let local = at - bandOrigin
        let v = load16(p.val + local), candidate = SIMD16<Int32>(repeating: Int32(truncatingIfNeeded: at)) &+ laneIndices
        let zAt = load16(b.val + local)
        if first {
          best = v; index = candidate; z = zAt; first = false
          if let sigmoid { s = load16(sigmoid + local) }
        } else {
          // Strictly greater wins, so the first maximum in window order is kept.
          let better = lessMask(best, v)
          best = atLeast(best, v)
          index = (candidate & better) | (index & ~better)
          z = blend(better, zAt, z)
          if let sigmoid { s = blend(better, load16(sigmoid + local), s) }
        }
      }
      store16(best, p.valOut + o)
      UnsafeMutableRawPointer(winners + o).storeBytes(of: index, as: SIMD16<Int32>.self)
      store16(z, kept.z + o)
      if silu {
        let derivatives = siluDerivatives(z, sigmoid == nil ? sigmoid16(z) : s)
        store16(derivatives.slope, kept.slope + o)
        store16(derivatives.curvature, kept.curvature + o)
      } else {
        // ReLU keeps z_w itself as its "slope".
        store16(z, kept.slope + o)
      }
    }
  }

  /// SiLU's σ'(z) and σ''(z) from z and s = s(z) (the expressions of `ActivationLayer.tangent`
  /// and `backward`, so the values are bit-identical to theirs).
  @inline(__always) private func siluDerivatives(_ z: F16, _ s: F16) -> (slope: F16, curvature: F16) {
    let oneMinus: F16 = 1 - s
    return (s * (1 + z * oneMinus), s * oneMinus * (2 + z * (1 - 2 * s)))
  }

  /// The tangent of activation-then-pool: `p.tanOut` from `b.tan`.
  func tangentThroughPool(_ pool: MaxPool2dLayer, _ b: LayerBuffers, _ p: LayerBuffers) {
    let winners = UnsafePointer(pool.winners(p.scratch)), kept = pool.winnerValues(p.scratch)
    pool.forEachPooledVector { o, window in
      let winner = UnsafeRawPointer(winners + o).loadUnaligned(as: SIMD16<Int32>.self)
      var dz = F16()
      window.visit { at in
        dz = floats(bits(dz) | (bits(load16(b.tan + at)) & winnerMask(winner, at)))
      }
      store16(dz, kept.tangent + o)
      switch kind {
      case .silu: store16(load16(kept.slope + o) * dz, p.tanOut + o)
      case .relu: store16(keepWherePositive(load16(kept.slope + o), dz), p.tanOut + o)
      }
    }
  }

  /// The backward pass of activation-then-pool: `b.adj` (and `b.tadj` for the dual pass, after
  /// `tangentThroughPool`) from `p.adjOut` (and `p.tadjOut`).
  func backwardThroughPool(_ pool: MaxPool2dLayer, _ b: LayerBuffers, _ p: LayerBuffers, options: BackwardOptions) {
    guard options.needInputAdjoint else { return }
    let dual = options.dual
    let winners = UnsafePointer(pool.winners(p.scratch)), kept = pool.winnerValues(p.scratch)
    pool.forEachPooledVector { o, window in
      let winner = UnsafeRawPointer(winners + o).loadUnaligned(as: SIMD16<Int32>.self)
      let a = load16(p.adjOut + o), slope = load16(kept.slope + o)
      var adjoint: F16, tangentAdjoint = F16()
      switch kind {
      case .silu:
        if dual {
          let ta = load16(p.tadjOut + o)
          tangentAdjoint = slope * ta
          adjoint = slope * a + load16(kept.curvature + o) * (load16(kept.tangent + o) * ta)
        } else {
          adjoint = slope * a
        }
      case .relu:
        adjoint = keepWherePositive(slope, a)
        if dual { tangentAdjoint = keepWherePositive(slope, load16(p.tadjOut + o)) }
      }
      window.visit { at in
        let mask = winnerMask(winner, at)
        store16(floats(bits(adjoint) & mask), b.adj + at)
        if dual { store16(floats(bits(tangentAdjoint) & mask), b.tadj + at) }
      }
    }
    pool.clearUnpooled(b.adj)
    if dual { pool.clearUnpooled(b.tadj) }
  }

  /// All ones in the lanes whose winner is input index `at` + lane.
  @inline(__always) private func winnerMask(_ winner: SIMD16<Int32>, _ at: Int) -> SIMD16<Int32> {
    let difference = winner ^ (SIMD16<Int32>(repeating: Int32(truncatingIfNeeded: at)) &+ laneIndices)
    // All ones where the difference is 0 (the sign of d | −d is set for any d ≠ 0).
    return ~((difference | (SIMD16<Int32>() &- difference)) &>> SIMD16<Int32>(repeating: 31))
  }
}

/// 0, 1, …, 15.
private let laneIndices = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
