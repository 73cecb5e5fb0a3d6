// Conv2d: k×k convolution, stride 1, zero padding p (PyTorch Conv2d, cross-correlation).
// Shapes (channels-last buffers):
//   input  val[i]  H×W×S_in        (S_in = channels or a multiple of 16)
//   output val[i+1] H'×W'×S_out    H' = H+2p−k+1, S_out = channels rounded up to 16
//   weight W[co][ci][ky][kx] (state_dict), bias b[co]
// forward   y = W ⋆ x + b          tangent  ẏ = W ⋆ ẋ (no bias)
// backward  x̄ = Wᵀ ⋆ ȳ (a full convolution with flipped taps), W̄ += x ⊗ ȳ (+ ẋ ⊗ ẏ̄), b̄ += Σ ȳ;
//           the tangent adjoint ẋ̄ = Wᵀ ⋆ ẏ̄ likewise (a conv is linear: no cross term).
// Two data paths: when S_in is a multiple of 16, the input is copied into a zero-bordered buffer
// and convolved directly; otherwise (the 3-channel image) it is unrolled into im2col columns of
// k·k·C_in values (padded to 16) and treated as a 1×1 convolution, which keeps every kernel
// vectorised. Scratch: padded input, padded tangent input, padded output adjoint.

struct Conv2dLayer: NetworkLayer {
  let name: String
  let inChannels: Int
  let outChannels: Int
  let kernel: Int
  let padding: Int
  let input: BufferShape
  let output: BufferShape
  /// Whether the input is unrolled (im2col) rather than convolved directly.
  let unrolled: Bool

  var packedWeightOffset = 0
  var packedGradientOffset = 0
  var parameterOffset = 0

  init(name: String, inChannels: Int, outChannels: Int, kernel: Int, padding: Int, input: BufferShape) {
    self.name = name
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.kernel = kernel
    self.padding = padding
    self.input = input
    let side = kernel - 1 - 2 * padding
    self.output = BufferShape(channels: outChannels, height: input.height - side, width: input.width - side,
                              stride: roundUpToLanes(outChannels))
    self.unrolled = input.stride % vectorLanes != 0
  }

  // MARK: geometry

  private var taps: Int { kernel * kernel }
  /// im2col column length, padded to whole vectors.
  private var columnLanes: Int { roundUpToLanes(taps * inChannels) }
  /// The convolution's own input: padded image, or im2col columns seen as a 1×1 "image".
  private var operand: (height: Int, width: Int, stride: Int, kernel: Int, inChannels: Int, lanes: Int) {
    unrolled
      ? (output.height, output.width, columnLanes, 1, taps * inChannels, columnLanes)
      : (input.height + 2 * padding, input.width + 2 * padding, input.stride, kernel, inChannels, input.stride)
  }
  private var operandCount: Int { operand.height * operand.width * operand.stride }
  /// The output adjoint bordered by k−1−p for the full (transposed) convolution.
  private var adjointBorder: Int { kernel - 1 - padding }
  private var paddedAdjoint: (height: Int, width: Int) { (output.height + 2 * adjointBorder, output.width + 2 * adjointBorder) }
  private var paddedAdjointCount: Int { paddedAdjoint.height * paddedAdjoint.width * output.stride }

  var scratchCount: Int { 2 * operandCount + paddedAdjointCount }
  var parameterCount: Int { outChannels * inChannels * taps + outChannels }

  /// Packed forward weights [operand kernel²][operand inChannels][S_out], bias [S_out], and the
  /// input-adjoint weights: direct path [k²][C_out][S_in] (flipped taps), unrolled path
  /// [k²][C_in][S_out] (flipped taps, vectors along the output channels).
  private var forwardWeightCount: Int { taps * inChannels * output.stride }
  private var adjointWeightCount: Int { unrolled ? taps * inChannels * output.stride : taps * outChannels * input.stride }
  var packedWeightCount: Int { forwardWeightCount + output.stride + adjointWeightCount }
  /// Packed gradient [operand kernel²][operand lanes][S_out] then bias [S_out].
  private var weightGradientCount: Int { operand.kernel * operand.kernel * operand.lanes * output.stride }
  var packedGradientCount: Int { weightGradientCount + output.stride }

  @inline(__always) private func parameterIndex(_ co: Int, _ ci: Int, _ ky: Int, _ kx: Int) -> Int {
    parameterOffset + ((co * inChannels + ci) * kernel + ky) * kernel + kx
  }

  func pack(_ parameters: UnsafePointer<Float>, into packed: UnsafeMutablePointer<Float>) {
    let base = packed + packedWeightOffset
    base.initialize(repeating: 0, count: packedWeightCount)
    let k = kernel, so = output.stride
    let bias = base + forwardWeightCount
    let adjoint = bias + so
    for co in 0..<outChannels {
      bias[co] = parameters[parameterOffset + outChannels * inChannels * taps + co]
      for ci in 0..<inChannels {
        for ky in 0..<k {
          for kx in 0..<k {
            let w = parameters[parameterIndex(co, ci, ky, kx)]
            let tap = ky * k + kx, flipped = (k - 1 - ky) * k + (k - 1 - kx)
            base[(tap * inChannels + ci) * so + co] = w
            if unrolled {
              adjoint[(flipped * inChannels + ci) * so + co] = w
            } else {
              adjoint[(flipped * outChannels + co) * input.stride + ci] = w
            }
          }
        }
      }
    }
  }

  func unpackGradient(_ packed: UnsafePointer<Float>, into gradients: UnsafeMutablePointer<Float>) {
    let base = packed + packedGradientOffset
    let k = kernel, so = output.stride
    for co in 0..<outChannels {
      gradients[parameterOffset + outChannels * inChannels * taps + co] += base[weightGradientCount + co]
      for ci in 0..<inChannels {
        for ky in 0..<k {
          for kx in 0..<k {
            let tap = ky * k + kx
            // Unrolled: row tap·C_in + ci of the column matrix; direct: row ci of tap's block.
            let row = unrolled ? tap * inChannels + ci : tap * input.stride + ci
            gradients[parameterIndex(co, ci, ky, kx)] += base[row * so + co]
          }
        }
      }
    }
  }

  func initializeScratch(_ scratch: UnsafeMutablePointer<Float>) {
    scratch.initialize(repeating: 0, count: scratchCount)
  }

  // MARK: passes

  private func operandImage(_ base: UnsafePointer<Float>) -> PaddedImage {
    PaddedImage(base: base, rowStride: operand.width * operand.stride, pixelStride: operand.stride)
  }

  /// Fills the operand buffer from an input buffer: the interior of the zero-bordered copy, or
  /// the im2col columns (entries outside the image stay 0).
  private func prepareOperand(from source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
    let s = input.stride
    if unrolled {
      let lanes = columnLanes, k = kernel, c = inChannels
      for y in 0..<output.height {
        for x in 0..<output.width {
          let column = destination + (y * output.width + x) * lanes
          for ky in 0..<k {
            let sy = y + ky - padding
            for kx in 0..<k {
              let sx = x + kx - padding
              let target = column + (ky * k + kx) * c
              if sy >= 0 && sy < input.height && sx >= 0 && sx < input.width {
                let from = source + (sy * input.width + sx) * s
                for ci in 0..<c { target[ci] = from[ci] }
              } else {
                for ci in 0..<c { target[ci] = 0 }
              }
            }
          }
        }
      }
    } else {
      let rowFloats = input.width * s
      for y in 0..<input.height {
        let target = destination + ((y + padding) * operand.width + padding) * s
        target.update(from: source + y * rowFloats, count: rowFloats)
      }
    }
  }

  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    prepareOperand(from: b.val, into: b.scratch)
    let w = weights + packedWeightOffset
    ConvolutionKernels.convolve(
      input: operandImage(b.scratch), inChannels: operand.inChannels, kernel: operand.kernel,
      weights: w, bias: w + forwardWeightCount, outStride: output.stride,
      output: b.valOut, height: output.height, width: output.width)
  }

  func tangent(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    let tangentOperand = b.scratch + operandCount
    prepareOperand(from: b.tan, into: tangentOperand)
    ConvolutionKernels.convolve(
      input: operandImage(tangentOperand), inChannels: operand.inChannels, kernel: operand.kernel,
      weights: weights + packedWeightOffset, bias: nil, outStride: output.stride,
      output: b.tanOut, height: output.height, width: output.width)
  }

  func backward(_ b: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions) {
    if let gradients = options.gradients {
      let g = gradients + packedGradientOffset
      ConvolutionKernels.accumulateWeightGradient(
        input: operandImage(b.scratch), inLanes: operand.lanes, kernel: operand.kernel,
        adjoint: b.adjOut, outStride: output.stride, height: output.height, width: output.width,
        weightGradient: g)
      if options.dual {
        ConvolutionKernels.accumulateWeightGradient(
          input: operandImage(b.scratch + operandCount), inLanes: operand.lanes, kernel: operand.kernel,
          adjoint: b.tadjOut, outStride: output.stride, height: output.height, width: output.width,
          weightGradient: g)
      }
      let biasGradient = g + weightGradientCount
      for tile in stride(from: 0, to: output.stride, by: 16) {
        var sum = load16(biasGradient + tile)
        var p = UnsafePointer(b.adjOut) + tile
        for _ in 0..<output.pixels {
          sum += load16(p)
          p += output.stride
        }
        store16(sum, biasGradient + tile)
      }
    }
    guard options.needInputAdjoint else { return }
    inputAdjoint(from: b.adjOut, into: b.adj, b: b, weights: weights)
    if options.dual { inputAdjoint(from: b.tadjOut, into: b.tadj, b: b, weights: weights) }
  }

  /// x̄ = Wᵀ ⋆ ȳ: the output adjoint, bordered by k−1−p, convolved with flipped taps.
  private func inputAdjoint(from adjOut: UnsafePointer<Float>, into adj: UnsafeMutablePointer<Float>,
                            b: LayerBuffers, weights: UnsafePointer<Float>) {
    let bordered = b.scratch + 2 * operandCount
    let so = output.stride, border = adjointBorder, paddedWidth = paddedAdjoint.width
    let rowFloats = output.width * so
    for y in 0..<output.height {
      (bordered + ((y + border) * paddedWidth + border) * so).update(from: adjOut + y * rowFloats, count: rowFloats)
    }
    let image = PaddedImage(base: bordered, rowStride: paddedWidth * so, pixelStride: so)
    let w = weights + packedWeightOffset + forwardWeightCount + so
    if unrolled {
      ConvolutionKernels.convolveToFewChannels(
        input: image, inLanes: so, kernel: kernel, weights: w, outChannels: inChannels,
        output: adj, outPixelStride: input.stride, height: input.height, width: input.width)
      // Lanes beyond the channels (if the stride has any) stay as they are: zero.
      if input.stride > inChannels {
        for p in 0..<input.pixels { for c in inChannels..<input.stride { adj[p * input.stride + c] = 0 } }
      }
    } else {
      ConvolutionKernels.convolve(
        input: image, inChannels: outChannels, kernel: kernel, weights: w, bias: nil,
        outStride: input.stride, output: adj, height: input.height, width: input.width)
    }
  }
}
