// The batch computation of training: the loss L = BCE_w + λ·mean(1 − ‖P u‖²/‖u‖²) and its exact
// parameter gradient. Per sample: forward; if it has directions and λ > 0, the input gradient u,
// the penalty and v = (λ/N)·∂pen/∂u, a tangent pass along v and a dual backward pass (reverse over
// the forward-mode pass: ∇θ⟨∇ₓf, v⟩ is exact because pen depends on θ only through u); else a
// plain backward. Per-sample gradients land in their own slots and are summed in sample order,
// so the result is bit-identical for any thread count.

import Common

/// Directions spanning one sample's feature subspace, each [C, H, W] flat.
public typealias DirectionSet = [[Float]]

/// Loss and gradient of one batch.
public struct BatchGradients: Sendable {
  /// Total loss: `crossEntropy + lambda·penalty`.
  public var loss: Double
  /// Mean BCE_w over the batch.
  public var crossEntropy: Double
  /// Mean penalty over the batch (samples that contribute nothing count as 0).
  public var penalty: Double
  /// Samples whose penalty term was 0 because they had no usable direction or ‖∇ₓf‖ < 1e-12.
  public var penaltySkipped: Int
  /// ∂loss/∂θ, flat in state_dict order.
  public var gradients: [Float]
  /// Logits of the batch (before the step).
  public var logits: [Float]
}

extension Model {
  /// Samples whose per-sample gradients are held at once (bounds memory for large batches).
  static let gradientRound = 64

  /// Loss and exact parameter gradient for a batch `x` [count, C, H, W] with 0/1 `labels`.
  /// `directions[i]` is sample i's direction set (ignored when `lambda` is 0; may be empty).
  public func lossAndGradients(
    x: [Float], labels: [Int], count: Int, positiveWeight: Double, lambda: Double = 0,
    directions: [DirectionSet]? = nil, threads: Int = Parallelism.defaultThreads
  ) -> BatchGradients {
    let n = inputCount
    precondition(x.count == count * n && labels.count == count, "batch sizes disagree")
    precondition(directions == nil || directions!.count == count, "one direction set per sample")
    guard count > 0 else {
      return BatchGradients(loss: 0, crossEntropy: 0, penalty: 0, penaltySkipped: 0,
                            gradients: [Float](repeating: 0, count: layout.count), logits: [])
    }
    let weights = network.pack(parameters)
    let g = network.packedGradientCount
    let regularized = lambda > 0 && directions != nil
    var gradient = [Float](repeating: 0, count: layout.count)
    var packedTotal = [Float](repeating: 0, count: g)
    var logits = [Float](repeating: 0, count: count)
    var bce = [Double](repeating: 0, count: count)
    var penalty = [Double](repeating: 0, count: count)
    var skipped = [Bool](repeating: false, count: count)
    let round = min(count, Model.gradientRound)
    // Every layer sets its whole region of a sample's slot, so the slots need no zeroing pass.
    var slots = [Float](unsafeUninitializedCapacity: max(1, round) * g) { _, initialized in
      initialized = max(1, round) * g
    }
    let workers = max(1, min(threads, round))
    let scale = 1 / Double(count)

    withWorkspaces(workers) { spaces in
      x.withUnsafeBufferPointer { xs in
        weights.withUnsafeBufferPointer { wb in
          let w = wb.baseAddress!
          for start in stride(from: 0, to: count, by: round) {
            let items = min(round, count - start)
            slots.withUnsafeMutableBufferPointer { slotBuffer in
              logits.withUnsafeMutableBufferPointer { l in
                bce.withUnsafeMutableBufferPointer { b in
                  penalty.withUnsafeMutableBufferPointer { p in
                    skipped.withUnsafeMutableBufferPointer { s in
                      let (slotBuffer, l, b, p, s) = (slotBuffer, l, b, p, s)
                      Parallelism.forEach(count: items, threads: workers) { item, worker in
                        let i = start + item
                        let space = spaces[worker]
                        let f = space.forward(xs.baseAddress! + i * n, weights: w)
                        l[i] = f
                        let y = labels[i]
                        b[i] = BinaryCrossEntropy.loss(logit: Double(f), label: y, positiveWeight: positiveWeight)
                        let fBar = Float(scale * BinaryCrossEntropy.derivative(logit: Double(f), label: y, positiveWeight: positiveWeight))
                        var tangent = false
                        if regularized {
                          let set = directions![i]
                          var evaluated: (value: Double, gradient: [Double])?
                          if !set.isEmpty {
                            var u = [Float](repeating: 0, count: n)
                            u.withUnsafeMutableBufferPointer { space.inputGradient(weights: w, into: $0.baseAddress!) }
                            evaluated = u.withUnsafeBufferPointer { AlignmentPenalty.evaluate(u: $0, basis: AlignmentPenalty.basis(set)) }
                          }
                          if let (value, dPen) = evaluated {
                            p[i] = value
                            let v = dPen.map { Float(lambda * scale * $0) }
                            _ = v.withUnsafeBufferPointer { space.tangent($0.baseAddress!, weights: w) }
                            tangent = true
                          } else {
                            s[i] = true
                          }
                        }
                        space.parameterGradient(outputAdjoint: fBar, tangentAdjoint: tangent ? 1 : nil, weights: w,
                                                into: slotBuffer.baseAddress! + item * g)
                      }
                      // Fixed-order reduction: every parameter sums the samples in sample order
                      // (parameters are split across threads, which changes no sum).
                      packedTotal.withUnsafeMutableBufferPointer { t in
                        let t = t
                        let chunk = 4096, chunks = (g + chunk - 1) / chunk
                        Parallelism.forEach(count: chunks, threads: workers) { c, _ in
                          let start = c * chunk, end = min(g, (c + 1) * chunk)
                          let total = t.baseAddress!
                          for item in 0..<items {
                            // 16 parameters at a time; each still adds the samples in order.
                            let slot = UnsafePointer(slotBuffer.baseAddress! + item * g)
                            var j = start
                            while j + 16 <= end {
                              store16(load16(total + j) + load16(slot + j), total + j)
                              j += 16
                            }
                            while j < end { total[j] += slot[j]; j += 1 }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    packedTotal.withUnsafeBufferPointer { t in
      gradient.withUnsafeMutableBufferPointer { network.unpackGradient(t.baseAddress!, into: $0.baseAddress!) }
    }
    let meanBCE = bce.reduce(0, +) * scale
    let meanPenalty = penalty.reduce(0, +) * scale
    return BatchGradients(loss: meanBCE + lambda * meanPenalty, crossEntropy: meanBCE, penalty: meanPenalty,
                          penaltySkipped: regularized ? skipped.filter { $0 }.count : 0,
                          gradients: gradient, logits: logits)
  }

  /// One sample's derivatives, for tests: the logit f, ḟ = ⟨∇ₓf, v⟩ (0 without `v`), and the
  /// parameter gradient (state_dict order) of outputAdjoint·f + tangentAdjoint·ḟ.
  package func sampleDerivatives(x: [Float], v: [Float]?, outputAdjoint: Float, tangentAdjoint: Float)
    -> (logit: Float, jvp: Float, gradient: [Float]) {
    let weights = network.pack(parameters)
    var gradient = [Float](repeating: 0, count: layout.count)
    var logit: Float = 0, jvp: Float = 0
    withWorkspaces(1) { spaces in
      let space = spaces[0]
      weights.withUnsafeBufferPointer { wb in
        let w = wb.baseAddress!
        logit = x.withUnsafeBufferPointer { space.forward($0.baseAddress!, weights: w) }
        if let v { jvp = v.withUnsafeBufferPointer { space.tangent($0.baseAddress!, weights: w) } }
        space.parameterGradient(outputAdjoint: outputAdjoint, tangentAdjoint: v == nil ? nil : tangentAdjoint, weights: w)
        gradient.withUnsafeMutableBufferPointer { network.unpackGradient(space.gradient, into: $0.baseAddress!) }
      }
    }
    return (logit, jvp, gradient)
  }
}
