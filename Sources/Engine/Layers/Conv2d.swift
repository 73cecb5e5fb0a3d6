// Conv2d: k×k convolution, stride 1, zero padding p (PyTorch Conv2d, cross-correlation).
// Shapes (channels-last buffers):
//   input  val[i]  H×W×S_in        (S_in = channels or a multiple of 16)
//   output val[i+1] H'×W'×S_out    H' = H+2p−k+1, S_out = channels rounded up to 16
//   weight W[co][ci][ky][kx] (state_dict), bias b[co]
// forward   y = W ⋆ x + b          tangent  ẏ = W ⋆ ẋ (no bias)
// backward  x̄ = Wᵀ ⋆ ȳ (a full convolution with flipped taps), W̄ += x ⊗ ȳ (+ ẋ ⊗ ẏ̄), b̄ += Σ ȳ;
//           the tangent adjoint ẋ̄ = Wᵀ ⋆ ẏ̄ likewise (a conv is linear: no cross term).
// Two data paths keep every kernel vectorised:
// - direct (S_in a multiple of 16): the input is copied into a zero-bordered buffer and convolved;
//   the input adjoint is the bordered output adjoint convolved with flipped weights.
//   Scratch: bordered input, bordered tangent input, bordered output adjoint.
// - unrolled (the image, S_in = C_in, e.g. 3): the forward and tangent passes still convolve the
//   bordered image directly (input values are broadcast, so any stride works); the weight
//   gradient reads each kernel row's run of k·C_in contiguous floats straight from the bordered
//   image when the run fits a vector (the 3×3 image layer: 9), else im2col columns of k·k·C_in
//   values (padded to 16), built only when they are needed; the input adjoint is the 1×1 convolution of ȳ
//   with Wᵀ into columns, folded back onto the image (col2im). Scratch: bordered input and its
//   columns (twice: primal and tangent), the adjoint columns, the bordered input adjoint.

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
    precondition(!unrolled || input.stride == inChannels, "an unrolled convolution reads an exact-stride image")
  }

  // MARK: geometry

  private var taps: Int { kernel * kernel }
  /// Whether one kernel row of the exact-stride image (k·C_in floats) fits a vector, so the weight
  /// gradient reads the bordered image directly instead of im2col columns.
  private var runsFitVector: Bool { kernel * inChannels <= vectorLanes }
  /// im2col column length: k·k·C_in padded to whole vectors.
  private var columnLanes: Int { roundUpToLanes(taps * inChannels) }
  private var borderedHeight: Int { input.height + 2 * padding }
  private var borderedWidth: Int { input.width + 2 * padding }
  /// The bordered input image (slack: vector loads may read past a short last row).
  private var borderedCount: Int { borderedHeight * borderedWidth * input.stride + vectorLanes }
  private var columnsCount: Int { output.pixels * columnLanes + vectorLanes }
  /// Floats of one (primal or tangent) operand: bordered image, plus its columns if unrolled.
  private var operandCount: Int { borderedCount + (unrolled ? columnsCount : 0) }
  /// The output adjoint bordered by k−1−p for the full (transposed) convolution (direct path).
  private var adjointBorder: Int { kernel - 1 - padding }
  private var borderedAdjointWidth: Int { output.width + 2 * adjointBorder }
  private var borderedAdjointCount: Int { (output.height + 2 * adjointBorder) * borderedAdjointWidth * output.stride }
  /// Backward scratch: bordered adjoint (direct), or adjoint columns + bordered input adjoint (unrolled).
  private var backwardCount: Int { unrolled ? columnsCount + borderedCount : borderedAdjointCount }

  var scratchCount: Int { 2 * operandCount + backwardCount }
  var parameterCount: Int { outChannels * inChannels * taps + outChannels }

  /// Packed weights: forward [k²][C_in][S_out] (for the unrolled path this is the [k²·C_in][S_out]
  /// column matrix), bias [S_out], then the adjoint weights: direct [k²][C_out][S_in] with flipped
  /// taps; unrolled [C_out][column lanes] (Wᵀ as a 1×1 convolution into columns).
  private var forwardWeightCount: Int { taps * inChannels * output.stride }
  private var adjointWeightCount: Int { unrolled ? outChannels * columnLanes : taps * outChannels * input.stride }
  var packedWeightCount: Int { forwardWeightCount + output.stride + adjointWeightCount }
  /// Packed gradient: direct [k²][S_in][S_out], unrolled [column lanes][S_out]; then bias [S_out].
  private var weightGradientCount: Int { (unrolled ? columnLanes : taps * input.stride) * output.stride }
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
              adjoint[co * columnLanes + tap * inChannels + ci] = w
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

  /// The weight gradient's operand for the primal (0) or tangent (1) pass: the columns when
  /// unrolled, else the bordered image.
  private func operand(_ scratch: UnsafeMutablePointer<Float>, _ which: Int) -> (image: PaddedImage, base: UnsafeMutablePointer<Float>) {
    let bordered = scratch + which * operandCount
    if unrolled {
      let columns = bordered + borderedCount
      return (PaddedImage(base: columns, rowStride: output.width * columnLanes, pixelStride: columnLanes), bordered)
    }
    return (PaddedImage(base: bordered, rowStride: borderedWidth * input.stride, pixelStride: input.stride), bordered)
  }

  /// Copies an input buffer into the interior of the zero-bordered operand image.
  private func prepareOperand(from source: UnsafePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, _ which: Int) {
    let s = input.stride
    let bordered = scratch + which * operandCount
    let rowFloats = input.width * s
    for y in 0..<input.height {
      (bordered + ((y + padding) * borderedWidth + padding) * s).update(from: source + y * rowFloats, count: rowFloats)
    }
  }

  /// Unrolled path: the im2col columns of the bordered operand image (one run of k·S_in floats per
  /// kernel row), needed only for the weight gradient. A vector copy may spill past its run into
  /// lanes that the next run (or the next column) overwrites, or into the padding lanes, which no
  /// kernel reads as data (padded gradient rows are discarded).
  private func buildColumns(_ scratch: UnsafeMutablePointer<Float>, _ which: Int) {
    let s = input.stride
    let bordered = scratch + which * operandCount
    let run = kernel * s, columns = bordered + borderedCount, lanes = columnLanes
    for y in 0..<output.height {
      for x in 0..<output.width {
        let column = columns + (y * output.width + x) * lanes
        for ky in 0..<kernel {
          let from = UnsafePointer(bordered) + ((y + ky) * borderedWidth + x) * s
          var done = 0
          while done < run {
            store16(load16(from + done), column + ky * run + done)
            done += 16
          }
        }
      }
    }
  }

  /// The bordered image as the direct convolution reads it (both paths convolve it directly;
  /// the forward weights [k²][C_in][S_out] are the same matrix as the column weights).
  private func borderedImage(_ scratch: UnsafeMutablePointer<Float>, _ which: Int) -> PaddedImage {
    PaddedImage(base: scratch + which * operandCount, rowStride: borderedWidth * input.stride, pixelStride: input.stride)
  }

  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    forward(b, weights: weights, epilogue: nil)
  }

  /// The forward pass, optionally applying the next layer's activation on the fly.
  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>, epilogue: ConvolutionEpilogue?) {
    prepareOperand(from: b.val, b.scratch, 0)
    let w = weights + packedWeightOffset
    ConvolutionKernels.convolve(
      input: borderedImage(b.scratch, 0), inChannels: inChannels, kernel: kernel,
      weights: w, bias: w + forwardWeightCount, outStride: output.stride,
      output: b.valOut, height: output.height, width: output.width, epilogue: epilogue)
  }

  /// The forward pass in bands of `band` output rows for a consumer that needs each band only
  /// once (a fused pool): bands 0, 1, … while (band + 1)·`band` ≤ output height, each written at
  /// the start of `valOut` (and of the epilogue's buffers), where it stays in L1, and handed to
  /// `bandDone(firstRow)` before the next band overwrites it. Each value is computed exactly as
  /// by `forward`; rows after the last whole band are not computed.
  func forwardInBands(_ b: LayerBuffers, weights: UnsafePointer<Float>, epilogue: ConvolutionEpilogue?, band: Int,
                      bandDone: (_ firstRow: Int) -> Void) {
    prepareOperand(from: b.val, b.scratch, 0)
    let w = weights + packedWeightOffset
    let image = borderedImage(b.scratch, 0)
    var first = 0
    while first + band <= output.height {
      let bandImage = PaddedImage(base: image.base + first * image.rowStride, rowStride: image.rowStride,
                                  pixelStride: image.pixelStride)
      ConvolutionKernels.convolve(
        input: bandImage, inChannels: inChannels, kernel: kernel,
        weights: w, bias: w + forwardWeightCount, outStride: output.stride,
        output: b.valOut, height: band, width: output.width, epilogue: epilogue)
      bandDone(first)
      first += band
    }
  }

  func tangent(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    prepareOperand(from: b.tan, b.scratch, 1)
    ConvolutionKernels.convolve(
      input: borderedImage(b.scratch, 1), inChannels: inChannels, kernel: kernel,
      weights: weights + packedWeightOffset, bias: nil, outStride: output.stride,
      output: b.tanOut, height: output.height, width: output.width)
  }

  func backward(_ b: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions) {
    if let gradients = options.gradients {
      let g = gradients + packedGradientOffset
      if unrolled && runsFitVector {
        // Short kernel rows (the image layer): straight from the bordered image, no columns.
        let run = kernel * inChannels
        ConvolutionKernels.accumulateRunWeightGradient(
          input: borderedImage(b.scratch, 0), run: run, rows: kernel, adjoint: b.adjOut, outStride: output.stride,
          height: output.height, width: output.width, weightGradient: g, overwrite: true)
        if options.dual {
          ConvolutionKernels.accumulateRunWeightGradient(
            input: borderedImage(b.scratch, 1), run: run, rows: kernel, adjoint: b.tadjOut, outStride: output.stride,
            height: output.height, width: output.width, weightGradient: g)
        }
      } else {
        if unrolled {
          buildColumns(b.scratch, 0)
          if options.dual { buildColumns(b.scratch, 1) }
        }
        let lanes = unrolled ? columnLanes : input.stride, k = unrolled ? 1 : kernel
        ConvolutionKernels.accumulateWeightGradient(
          input: operand(b.scratch, 0).image, inLanes: lanes, kernel: k,
          adjoint: b.adjOut, outStride: output.stride, height: output.height, width: output.width,
          weightGradient: g, overwrite: true)
        if options.dual {
          ConvolutionKernels.accumulateWeightGradient(
            input: operand(b.scratch, 1).image, inLanes: lanes, kernel: k,
            adjoint: b.tadjOut, outStride: output.stride, height: output.height, width: output.width,
            weightGradient: g)
        }
      }
      let biasGradient = g + weightGradientCount
      for tile in stride(from: 0, to: output.stride, by: 16) {
        var sum = F16()
        var p = UnsafePointer(b.adjOut) + tile
        for _ in 0..<output.pixels {
          sum += load16(p)
          p += output.stride
        }
        store16(sum, biasGradient + tile)
      }
    }
    guard options.needInputAdjoint else { return }
    inputAdjoint(from: b.adjOut, into: b.adj, scratch: b.scratch, weights: weights)
    if options.dual { inputAdjoint(from: b.tadjOut, into: b.tadj, scratch: b.scratch, weights: weights) }
  }

  /// x̄ = Wᵀ ⋆ ȳ.
  private func inputAdjoint(from adjOut: UnsafePointer<Float>, into adj: UnsafeMutablePointer<Float>,
                            scratch: UnsafeMutablePointer<Float>, weights: UnsafePointer<Float>) {
    let so = output.stride
    let w = weights + packedWeightOffset + forwardWeightCount + so
    let region = scratch + 2 * operandCount
    if unrolled {
      // Columns T[p][tap·C_in + ci] = Σ_co ȳ[p][co] W[co][ci][tap], then col2im: each column's
      // k runs are added back onto the bordered image, masked to the run's length.
      let columns = region, bordered = region + columnsCount
      let lanes = columnLanes, s = input.stride, run = kernel * s
      ConvolutionKernels.convolve(
        input: PaddedImage(base: adjOut, rowStride: output.width * so, pixelStride: so), inChannels: outChannels,
        kernel: 1, weights: w, bias: nil, outStride: lanes, output: columns, height: output.height, width: output.width)
      bordered.update(repeating: 0, count: borderedCount)
      let laneIndex = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
      for y in 0..<output.height {
        for x in 0..<output.width {
          let column = UnsafePointer(columns) + (y * output.width + x) * lanes
          for ky in 0..<kernel {
            let to = bordered + ((y + ky) * borderedWidth + x) * s
            var done = 0
            while done < run {
              // Lanes below the run's remaining length are kept (sign of lane − remaining).
              let keep = (laneIndex &- SIMD16<Int32>(repeating: Int32(run - done))) &>> SIMD16<Int32>(repeating: 31)
              let add = floats(bits(load16(column + ky * run + done)) & keep)
              store16(load16(to + done) + add, to + done)
              done += 16
            }
          }
        }
      }
      let rowFloats = input.width * s
      for y in 0..<input.height {
        (adj + y * rowFloats).update(from: bordered + ((y + padding) * borderedWidth + padding) * s, count: rowFloats)
      }
    } else {
      let border = adjointBorder, width = borderedAdjointWidth
      let rowFloats = output.width * so
      for y in 0..<output.height {
        (region + ((y + border) * width + border) * so).update(from: adjOut + y * rowFloats, count: rowFloats)
      }
      ConvolutionKernels.convolve(
        input: PaddedImage(base: region, rowStride: width * so, pixelStride: so), inChannels: outChannels,
        kernel: kernel, weights: w, bias: nil, outStride: input.stride, output: adj,
        height: input.height, width: input.width)
    }
  }
}
