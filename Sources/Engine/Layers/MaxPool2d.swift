// MaxPool2d(size): non-overlapping size×size windows, stride size; remainder rows and columns
// are dropped (PyTorch's floor mode). Shapes: H×W×S → ⌊H/size⌋×⌊W/size⌋×S.
//   forward   y = max of the window; the winner's input index is kept (first maximum in row-major
//             window order wins ties, as PyTorch)
//   tangent   ẏ = ẋ[winner]
//   backward  x̄[winner] = ȳ, 0 elsewhere (and the same for the tangent adjoint)
// Scratch: the winners' input indices, stored as Int32 bit patterns in the float scratch, and
// the values a fused activation keeps (ActivationPool.swift).

struct MaxPool2dLayer: NetworkLayer {
  let size: Int
  let input: BufferShape
  var output: BufferShape {
    BufferShape(channels: input.channels, height: input.height / size, width: input.width / size, stride: input.stride)
  }
  /// The winners, then (used when an activation is fused with this pool, see ActivationPool.swift)
  /// the activation's input, slope and curvature at the winners and the winners' input tangents.
  var scratchCount: Int { 5 * output.count }

  /// The winners' input indices (one per output element) in this layer's scratch.
  func winners(_ scratch: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Int32> {
    UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: Int32.self)
  }

  /// Per-output values kept for a fused activation: z_w, σ'(z_w) (ReLU: z_w), σ''(z_w), ż_w.
  func winnerValues(_ scratch: UnsafeMutablePointer<Float>) -> (
    z: UnsafeMutablePointer<Float>, slope: UnsafeMutablePointer<Float>, curvature: UnsafeMutablePointer<Float>,
    tangent: UnsafeMutablePointer<Float>
  ) {
    let n = output.count
    return (scratch + n, scratch + 2 * n, scratch + 3 * n, scratch + 4 * n)
  }

  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    let s = input.stride, out = output, win = winners(b.scratch)
    let lanes = s % 16 == 0 ? 16 : 1
    for oy in 0..<out.height {
      for ox in 0..<out.width {
        let o = (oy * out.width + ox) * s
        var c = 0
        while c < s {
          let first = ((oy * size) * input.width + ox * size) * s + c
          if lanes == 16 {
            var best = load16(b.val + first)
            var index = SIMD16<Int32>(repeating: Int32(first)) &+ lane16
            for dy in 0..<size {
              for dx in 0..<size where dy != 0 || dx != 0 {
                let at = ((oy * size + dy) * input.width + ox * size + dx) * s + c
                let v = load16(b.val + at)
                // Strictly greater wins, so the first maximum in window order is kept.
                let better = lessMask(best, v)
                best = atLeast(best, v)
                index = ((SIMD16<Int32>(repeating: Int32(at)) &+ lane16) & better) | (index & ~better)
              }
            }
            store16(best, b.valOut + o + c)
            UnsafeMutableRawPointer(win + o + c).storeBytes(of: index, as: SIMD16<Int32>.self)
          } else {
            var best = b.val[first], index = first
            for dy in 0..<size {
              for dx in 0..<size {
                let at = ((oy * size + dy) * input.width + ox * size + dx) * s + c
                if b.val[at] > best { best = b.val[at]; index = at }
              }
            }
            b.valOut[o + c] = best
            win[o + c] = Int32(index)
          }
          c += lanes
        }
      }
    }
  }

  func tangent(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    let win = winners(b.scratch)
    for i in 0..<output.count { b.tanOut[i] = b.tan[Int(win[i])] }
  }

  func backward(_ b: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions) {
    guard options.needInputAdjoint else { return }
    route(b.adjOut, into: b.adj, winners: winners(b.scratch))
    if options.dual { route(b.tadjOut, into: b.tadj, winners: winners(b.scratch)) }
  }

  /// x̄ = 0 except x̄[winner] = ȳ. Windows do not overlap, so every element of a window is
  /// written once (16 channels at a time: ȳ where the lane's index is the winner, else 0); rows
  /// and columns left over by the floor division are cleared separately.
  private func route(_ adjOut: UnsafePointer<Float>, into adj: UnsafeMutablePointer<Float>, winners win: UnsafePointer<Int32>) {
    let s = input.stride, out = output
    if s % 16 == 0 {
      for oy in 0..<out.height {
        for ox in 0..<out.width {
          for c in stride(from: 0, to: s, by: 16) {
            let o = (oy * out.width + ox) * s + c
            let g = bits(load16(adjOut + o))
            let winner = UnsafeRawPointer(win + o).loadUnaligned(as: SIMD16<Int32>.self)
            for dy in 0..<size {
              for dx in 0..<size {
                let at = ((oy * size + dy) * input.width + ox * size + dx) * s + c
                let difference = winner ^ (SIMD16<Int32>(repeating: Int32(at)) &+ lane16)
                // All ones where the difference is 0 (the sign of d | −d is set for any d ≠ 0).
                let isWinner = ~((difference | (SIMD16<Int32>() &- difference)) &>> SIMD16<Int32>(repeating: 31))
                store16(floats(g & isWinner), adj + at)
              }
            }
          }
        }
      }
    } else {
      for oy in 0..<out.height {
        for dy in 0..<size {
          (adj + (oy * size + dy) * input.width * s).update(repeating: 0, count: out.width * size * s)
        }
      }
      for i in 0..<out.count { adj[Int(win[i])] = adjOut[i] }
    }
    clearUnpooled(adj)
  }

  /// Zeroes the input rows and columns that no window covers (floor mode), in an input-shaped buffer.
  func clearUnpooled(_ adj: UnsafeMutablePointer<Float>) {
    let s = input.stride, out = output
    let usedRows = out.height * size, usedColumns = out.width * size
    if usedRows < input.height {
      (adj + usedRows * input.width * s).update(repeating: 0, count: (input.height - usedRows) * input.width * s)
    }
    if usedColumns < input.width {
      for y in 0..<usedRows {
        (adj + (y * input.width + usedColumns) * s).update(repeating: 0, count: (input.width - usedColumns) * s)
      }
    }
  }

  /// Calls `body(o, window)` for every 16-channel vector of the output (offset o) in `rows` (all
  /// by default) with the input offsets of its window's vectors, in window order. The channel
  /// stride must be a multiple of 16.
  @inline(__always)
  func forEachPooledVector(rows: Range<Int>? = nil, _ body: (_ o: Int, _ window: PoolWindow) -> Void) {
    let s = input.stride, out = output
    for oy in rows ?? 0..<out.height {
      for ox in 0..<out.width {
        for c in stride(from: 0, to: s, by: 16) {
          let first = ((oy * size) * input.width + ox * size) * s + c
          body((oy * out.width + ox) * s + c, PoolWindow(first: first, size: size, rowStep: input.width * s, pixelStep: s))
        }
      }
    }
  }
}

/// The input offsets of one pooling window's elements (one channel vector), in window order.
struct PoolWindow: Sequence, IteratorProtocol {
  let first: Int
  let size: Int
  let rowStep: Int
  let pixelStep: Int
  private var dy = 0, dx = 0

  init(first: Int, size: Int, rowStep: Int, pixelStep: Int) {
    self.first = first
    self.size = size
    self.rowStep = rowStep
    self.pixelStep = pixelStep
  }

  /// Calls `body` with each offset in window order; 2×2 windows (FGF-CNN's) unrolled, so the
  /// fused passes have no loop bookkeeping per element.
  @inline(__always) func visit(_ body: (Int) -> Void) {
    if size == 2 {
      body(first); body(first + pixelStep); body(first + rowStep); body(first + rowStep + pixelStep)
    } else {
      for at in self { body(at) }
    }
  }

  mutating func next() -> Int? {
    guard dy < size else { return nil }
    let at = first + dy * rowStep + dx * pixelStep
    dx += 1
    if dx == size { dx = 0; dy += 1 }
    return at
  }
}

/// 0, 1, …, 15.
private let lane16 = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
