// The three convolution kernels every conv layer is built from, over channels-last (NHWC)
// buffers whose channel stride is a multiple of 16 on the vectorised side:
//   convolve          out[y][x][co] (+)= Σ_{ky,kx,ci} in[y+ky][x+kx][ci] · w[ky][kx][ci][co]
//                     (forward pass, tangent pass, and, with flipped weights, the input adjoint);
//   accumulateWeightGradient
//                     dw[ky][kx][ci][co] += Σ_{y,x} in[y+ky][x+kx][ci] · adj[y][x][co];
//   convolveToFewChannels
//                     out[y][x][ci] = Σ_{ky,kx,co} in[y+ky][x+kx][co] · w[ky][kx][ci][co] for few
//                     output channels (the input adjoint of a layer reading the 3-channel image).
// Inputs are already zero-padded, so no kernel tests borders. Register blocking: 16 output pixels
// × 16 output channels, 8 × 32 or 4 × 64 in 16 zmm accumulators, input values broadcast from memory.

/// A padded channels-last input: element (y, x, c) is at `base[y * rowStride + x * pixelStride + c]`.
struct PaddedImage {
  var base: UnsafePointer<Float>
  var rowStride: Int
  var pixelStride: Int
}

/// An activation applied to a convolution's output while it is still in L1 (saving a pass over
/// memory): for each output value z, `activation[i] = σ(z)`, and for SiLU `sigmoid[i] = s(z)`;
/// both buffers are laid out like the output.
struct ConvolutionEpilogue {
  var kind: ActivationKind
  var activation: UnsafeMutablePointer<Float>
  var sigmoid: UnsafeMutablePointer<Float>?

  /// Applies the activation to `count` floats at offset `at` of the output `z`.
  @inline(__always) func apply(_ z: UnsafePointer<Float>, at: Int, count: Int) {
    var i = at
    while i < at + count {
      let v = load16(z + i)
      switch kind {
      case .silu:
        let s = sigmoid16(v)
        if let sigmoid { store16(s, sigmoid + i) }
        store16(v * s, activation + i)
      case .relu:
        store16(atLeast(v, F16()), activation + i)
      }
      i += 16
    }
  }
}

/// Convolution geometry known at compile time, for the specialised copies of `convolve`: pixel
/// stride of the input, input channels, kernel size, output stride (0: known only at run time).
protocol ConvolutionShape {
  static var pixelStride: Int { get }
  static var inChannels: Int { get }
  static var kernel: Int { get }
  static var outStride: Int { get }
}

/// Every size from the arguments.
enum RuntimeShape: ConvolutionShape {
  static var pixelStride: Int { 0 }
  static var inChannels: Int { 0 }
  static var kernel: Int { 0 }
  static var outStride: Int { 0 }
}

/// FGF-CNN's passes: the image layer's forward and tangent (3 channels at stride 3 → 16).
enum ImageForwardShape: ConvolutionShape {
  static var pixelStride: Int { 3 }
  static var inChannels: Int { 3 }
  static var kernel: Int { 3 }
  static var outStride: Int { 16 }
}

/// conv2 forward and tangent.
enum Shape16To32: ConvolutionShape {
  static var pixelStride: Int { 16 }
  static var inChannels: Int { 16 }
  static var kernel: Int { 3 }
  static var outStride: Int { 32 }
}

/// conv3 forward and tangent.
enum Shape32To64: ConvolutionShape {
  static var pixelStride: Int { 32 }
  static var inChannels: Int { 32 }
  static var kernel: Int { 3 }
  static var outStride: Int { 64 }
}

/// conv2's input adjoint.
enum Shape32To16: ConvolutionShape {
  static var pixelStride: Int { 32 }
  static var inChannels: Int { 32 }
  static var kernel: Int { 3 }
  static var outStride: Int { 16 }
}

/// conv3's input adjoint.
enum Shape64To32: ConvolutionShape {
  static var pixelStride: Int { 64 }
  static var inChannels: Int { 64 }
  static var kernel: Int { 3 }
  static var outStride: Int { 32 }
}

/// The image layer's input adjoint into im2col columns (1×1, 16 channels → 32 column lanes).
enum PointwiseShape16To32: ConvolutionShape {
  static var pixelStride: Int { 16 }
  static var inChannels: Int { 16 }
  static var kernel: Int { 1 }
  static var outStride: Int { 32 }
}

enum ConvolutionKernels {
  /// out[y][x][co] = bias[co] + Σ in[y+ky][x+kx][ci] · w[((ky·k+kx)·inChannels + ci)·outStride + co]
  /// for y < height, x < width, co < outStride (a multiple of 16); `out` rows are `width·outStride`.
  /// With `accumulate`, adds to `out` instead of overwriting it (bias then ignored).
  static func convolve(
    input: PaddedImage, inChannels: Int, kernel k: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outStride: Int,
    output: UnsafeMutablePointer<Float>, height: Int, width: Int, epilogue: ConvolutionEpilogue? = nil
  ) {
    // Copies specialised for the shapes FGF-CNN's passes use: with the pixel stride, channel count,
    // kernel size and output stride known at compile time, the 16 input values of a block are
    // addressed by constant displacements from one pointer (a run-time stride costs an address
    // computation per broadcast), the channel loop unrolls, and only the needed block is kept.
    let s = input.pixelStride
    switch (s, inChannels, k, outStride) {
    case (3, 3, 3, 16):
      convolveRows(ImageForwardShape.self, input: input, s: s, inChannels: inChannels, k: k, weights: weights, bias: bias,
                   outStride: outStride, output: output, height: height, width: width, epilogue: epilogue)
    case (16, 16, 3, 32):
      convolveRows(Shape16To32.self, input: input, s: s, inChannels: inChannels, k: k, weights: weights, bias: bias,
                   outStride: outStride, output: output, height: height, width: width, epilogue: epilogue)
    case (32, 32, 3, 64):
      convolveRows(Shape32To64.self, input: input, s: s, inChannels: inChannels, k: k, weights: weights, bias: bias,
                   outStride: outStride, output: output, height: height, width: width, epilogue: epilogue)
    case (32, 32, 3, 16):
      convolveRows(Shape32To16.self, input: input, s: s, inChannels: inChannels, k: k, weights: weights, bias: bias,
                   outStride: outStride, output: output, height: height, width: width, epilogue: epilogue)
    case (64, 64, 3, 32):
      convolveRows(Shape64To32.self, input: input, s: s, inChannels: inChannels, k: k, weights: weights, bias: bias,
                   outStride: outStride, output: output, height: height, width: width, epilogue: epilogue)
    case (16, 16, 1, 32):
      convolveRows(PointwiseShape16To32.self, input: input, s: s, inChannels: inChannels, k: k, weights: weights, bias: bias,
                   outStride: outStride, output: output, height: height, width: width, epilogue: epilogue)
    default:
      convolveRows(RuntimeShape.self, input: input, s: s, inChannels: inChannels, k: k, weights: weights, bias: bias,
                   outStride: outStride, output: output, height: height, width: width, epilogue: epilogue)
    }
  }

  /// The body of `convolve`, specialised per `Shape` (a generic specialisation is a separate
  /// function with the shape's constants folded in; 0 means "use the run-time value").
  private static func convolveRows<Shape: ConvolutionShape>(
    _ shape: Shape.Type, input: PaddedImage, s runtimeS: Int, inChannels runtimeInChannels: Int, k runtimeK: Int,
    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outStride runtimeOutStride: Int,
    output: UnsafeMutablePointer<Float>, height: Int, width: Int, epilogue: ConvolutionEpilogue?
  ) {
    let s = Shape.pixelStride > 0 ? Shape.pixelStride : runtimeS
    let inChannels = Shape.inChannels > 0 ? Shape.inChannels : runtimeInChannels
    let k = Shape.kernel > 0 ? Shape.kernel : runtimeK
    let outStride = Shape.outStride > 0 ? Shape.outStride : runtimeOutStride
    for y in 0..<height {
      let rowOrigin = input.base + y * input.rowStride
      let rowOut = output + y * width * outStride
      var tile = 0
      while tile < outStride {
        // The widest tile that fits: 4 pixels × 64 channels, 8 × 32 or 16 × 16 (16 accumulators).
        let tileWidth = outStride - tile >= 64 ? 64 : outStride - tile >= 32 ? 32 : 16
        let pixels = tileWidth == 64 ? 4 : tileWidth == 32 ? 8 : 16
        let w = weights + tile
        let b = bias.map { $0 + tile }
        var x = 0
        while x + pixels <= width {
          let origin = rowOrigin + x * s, out = rowOut + x * outStride + tile
          switch tileWidth {
          case 64:
            block4x64(origin: origin, s: s, rowStride: input.rowStride, inChannels: inChannels, k: k,
                      weights: w, weightStride: outStride, bias: b, out: out, outPixelStride: outStride)
          case 32:
            block8x32(origin: origin, s: s, rowStride: input.rowStride, inChannels: inChannels, k: k,
                      weights: w, weightStride: outStride, bias: b, out: out, outPixelStride: outStride)
          default:
            block16x16(origin: origin, s: s, rowStride: input.rowStride, inChannels: inChannels, k: k,
                       weights: w, weightStride: outStride, bias: b, out: out, outPixelStride: outStride)
          }
          if let epilogue {
            for p in 0..<pixels { epilogue.apply(output, at: (y * width + x + p) * outStride + tile, count: tileWidth) }
          }
          x += pixels
        }
        // Remaining pixels one at a time, 16 channels at a time.
        while x < width {
          let origin = rowOrigin + x * s
          for sub in stride(from: 0, to: tileWidth, by: 16) {
            var acc = b.map { load16($0 + sub) } ?? F16()
            for ky in 0..<k {
              for kx in 0..<k {
                let q = origin + ky * input.rowStride + kx * s
                var wp = w + ((ky * k + kx) * inChannels) * outStride + sub
                for ci in 0..<inChannels {
                  acc = acc.addingProduct(F16(repeating: q[ci]), load16(wp))
                  wp += outStride
                }
              }
            }
            store16(acc, rowOut + x * outStride + tile + sub)
          }
          epilogue?.apply(output, at: (y * width + x) * outStride + tile, count: tileWidth)
          x += 1
        }
        tile += tileWidth
      }
    }
  }

  /// 4 consecutive output pixels × 64 output channels.
  @inline(__always)
  private static func block4x64(
    origin: UnsafePointer<Float>, s: Int, rowStride: Int, inChannels: Int, k: Int,
    weights: UnsafePointer<Float>, weightStride: Int, bias: UnsafePointer<Float>?,
    out: UnsafeMutablePointer<Float>, outPixelStride o: Int
  ) {
    let b0 = bias.map { load16($0) } ?? F16(), b1 = bias.map { load16($0 + 16) } ?? F16()
    let b2 = bias.map { load16($0 + 32) } ?? F16(), b3 = bias.map { load16($0 + 48) } ?? F16()
    var a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3
    var a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3
    var wp = weights
    for ky in 0..<k {
      for kx in 0..<k {
        var q = origin + ky * rowStride + kx * s
        for _ in 0..<inChannels {
          let w0 = load16(wp), w1 = load16(wp + 16), w2 = load16(wp + 32), w3 = load16(wp + 48)
          wp += weightStride
          let x0 = F16(repeating: q[0]), x1 = F16(repeating: q[s]), x2 = F16(repeating: q[2 * s]), x3 = F16(repeating: q[3 * s])
          a00 = a00.addingProduct(x0, w0); a01 = a01.addingProduct(x0, w1); a02 = a02.addingProduct(x0, w2); a03 = a03.addingProduct(x0, w3)
          a10 = a10.addingProduct(x1, w0); a11 = a11.addingProduct(x1, w1); a12 = a12.addingProduct(x1, w2); a13 = a13.addingProduct(x1, w3)
          a20 = a20.addingProduct(x2, w0); a21 = a21.addingProduct(x2, w1); a22 = a22.addingProduct(x2, w2); a23 = a23.addingProduct(x2, w3)
          a30 = a30.addingProduct(x3, w0); a31 = a31.addingProduct(x3, w1); a32 = a32.addingProduct(x3, w2); a33 = a33.addingProduct(x3, w3)
          q += 1
        }
      }
    }
    store16(a00, out); store16(a01, out + 16); store16(a02, out + 32); store16(a03, out + 48)
    store16(a10, out + o); store16(a11, out + o + 16); store16(a12, out + o + 32); store16(a13, out + o + 48)
    store16(a20, out + 2 * o); store16(a21, out + 2 * o + 16); store16(a22, out + 2 * o + 32); store16(a23, out + 2 * o + 48)
    store16(a30, out + 3 * o); store16(a31, out + 3 * o + 16); store16(a32, out + 3 * o + 32); store16(a33, out + 3 * o + 48)
  }

  /// 8 consecutive output pixels × 32 output channels.
  @inline(__always)
  private static func block8x32(
    origin: UnsafePointer<Float>, s: Int, rowStride: Int, inChannels: Int, k: Int,
    weights: UnsafePointer<Float>, weightStride: Int, bias: UnsafePointer<Float>?,
    out: UnsafeMutablePointer<Float>, outPixelStride o: Int
  ) {
    let b0 = bias.map { load16($0) } ?? F16(), b1 = bias.map { load16($0 + 16) } ?? F16()
    var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
    var a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1
    var wp = weights
    for ky in 0..<k {
      for kx in 0..<k {
        var q = origin + ky * rowStride + kx * s
        for _ in 0..<inChannels {
          let w0 = load16(wp), w1 = load16(wp + 16)
          wp += weightStride
          var x = F16(repeating: q[0]); a00 = a00.addingProduct(x, w0); a01 = a01.addingProduct(x, w1)
          x = F16(repeating: q[s]); a10 = a10.addingProduct(x, w0); a11 = a11.addingProduct(x, w1)
          x = F16(repeating: q[2 * s]); a20 = a20.addingProduct(x, w0); a21 = a21.addingProduct(x, w1)
          x = F16(repeating: q[3 * s]); a30 = a30.addingProduct(x, w0); a31 = a31.addingProduct(x, w1)
          x = F16(repeating: q[4 * s]); a40 = a40.addingProduct(x, w0); a41 = a41.addingProduct(x, w1)
          x = F16(repeating: q[5 * s]); a50 = a50.addingProduct(x, w0); a51 = a51.addingProduct(x, w1)
          x = F16(repeating: q[6 * s]); a60 = a60.addingProduct(x, w0); a61 = a61.addingProduct(x, w1)
          x = F16(repeating: q[7 * s]); a70 = a70.addingProduct(x, w0); a71 = a71.addingProduct(x, w1)
          q += 1
        }
      }
    }
    store16(a00, out); store16(a01, out + 16); store16(a10, out + o); store16(a11, out + o + 16)
    store16(a20, out + 2 * o); store16(a21, out + 2 * o + 16); store16(a30, out + 3 * o); store16(a31, out + 3 * o + 16)
    store16(a40, out + 4 * o); store16(a41, out + 4 * o + 16); store16(a50, out + 5 * o); store16(a51, out + 5 * o + 16)
    store16(a60, out + 6 * o); store16(a61, out + 6 * o + 16); store16(a70, out + 7 * o); store16(a71, out + 7 * o + 16)
  }

  /// 16 consecutive output pixels × 16 output channels.
  @inline(__always)
  private static func block16x16(
    origin: UnsafePointer<Float>, s: Int, rowStride: Int, inChannels: Int, k: Int,
    weights: UnsafePointer<Float>, weightStride: Int, bias: UnsafePointer<Float>?,
    out: UnsafeMutablePointer<Float>, outPixelStride o: Int
  ) {
    let b = bias.map { load16($0) } ?? F16()
    var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b
    var a8 = b, a9 = b, a10 = b, a11 = b, a12 = b, a13 = b, a14 = b, a15 = b
    var wp = weights
    for ky in 0..<k {
      for kx in 0..<k {
        var q = origin + ky * rowStride + kx * s
        for _ in 0..<inChannels {
          let w = load16(wp)
          wp += weightStride
          a0 = a0.addingProduct(F16(repeating: q[0]), w)
          a1 = a1.addingProduct(F16(repeating: q[s]), w)
          a2 = a2.addingProduct(F16(repeating: q[2 * s]), w)
          a3 = a3.addingProduct(F16(repeating: q[3 * s]), w)
          a4 = a4.addingProduct(F16(repeating: q[4 * s]), w)
          a5 = a5.addingProduct(F16(repeating: q[5 * s]), w)
          a6 = a6.addingProduct(F16(repeating: q[6 * s]), w)
          a7 = a7.addingProduct(F16(repeating: q[7 * s]), w)
          a8 = a8.addingProduct(F16(repeating: q[8 * s]), w)
          a9 = a9.addingProduct(F16(repeating: q[9 * s]), w)
          a10 = a10.addingProduct(F16(repeating: q[10 * s]), w)
          a11 = a11.addingProduct(F16(repeating: q[11 * s]), w)
          a12 = a12.addingProduct(F16(repeating: q[12 * s]), w)
          a13 = a13.addingProduct(F16(repeating: q[13 * s]), w)
          a14 = a14.addingProduct(F16(repeating: q[14 * s]), w)
          a15 = a15.addingProduct(F16(repeating: q[15 * s]), w)
          q += 1
        }
      }
    }
    store16(a0, out); store16(a1, out + o); store16(a2, out + 2 * o); store16(a3, out + 3 * o)
    store16(a4, out + 4 * o); store16(a5, out + 5 * o); store16(a6, out + 6 * o); store16(a7, out + 7 * o)
    store16(a8, out + 8 * o); store16(a9, out + 9 * o); store16(a10, out + 10 * o); store16(a11, out + 11 * o)
    store16(a12, out + 12 * o); store16(a13, out + 13 * o); store16(a14, out + 14 * o); store16(a15, out + 15 * o)
  }

  /// dw[((ky·k+kx)·inLanes + ci)·outStride + co] (+)= Σ_{y,x} in[y+ky][x+kx][ci] · adj[(y·width+x)·outStride + co]
  /// for ci < inLanes (a multiple of 16; the input must hold that many readable channels per pixel).
  static func accumulateWeightGradient(
    input: PaddedImage, inLanes: Int, kernel k: Int,
    adjoint: UnsafePointer<Float>, outStride: Int, height: Int, width: Int,
    weightGradient dw: UnsafeMutablePointer<Float>, overwrite: Bool = false
  ) {
    forEachBand(input: input, adjoint: adjoint, outStride: outStride, height: height, width: width) { band, adjointBand, first, rows in
      weightGradientBand(input: band, inLanes: inLanes, kernel: k, adjoint: adjointBand, outStride: outStride,
                         height: rows, width: width, weightGradient: dw, overwrite: overwrite && first == 0)
    }
  }

  /// Splits a weight-gradient sum over output rows into bands whose adjoint rows (about 16 KB)
  /// and input rows stay in L1 across the many passes (one per tap and channel block) that read
  /// them; `body(input, adjoint, firstRow, rows)` gets the band's views. The gradient is loaded
  /// and stored between bands, so every element still adds the pixels in row-major order: the
  /// sums are bit-identical to a single pass.
  @inline(__always)
  private static func forEachBand(
    input: PaddedImage, adjoint: UnsafePointer<Float>, outStride: Int, height: Int, width: Int,
    _ body: (_ input: PaddedImage, _ adjoint: UnsafePointer<Float>, _ firstRow: Int, _ rows: Int) -> Void
  ) {
    let rowsPerBand = max(1, (16 * 1024) / max(1, width * outStride * MemoryLayout<Float>.size))
    var first = 0
    while first < height {
      let rows = min(rowsPerBand, height - first)
      let band = PaddedImage(base: input.base + first * input.rowStride, rowStride: input.rowStride,
                             pixelStride: input.pixelStride)
      body(band, adjoint + first * width * outStride, first, rows)
      first += rows
    }
  }

  /// `accumulateWeightGradient` over one band of rows.
  private static func weightGradientBand(
    input: PaddedImage, inLanes: Int, kernel k: Int,
    adjoint: UnsafePointer<Float>, outStride: Int, height: Int, width: Int,
    weightGradient dw: UnsafeMutablePointer<Float>, overwrite: Bool
  ) {
    let o = outStride
    for ky in 0..<k {
      for kx in 0..<k {
        for ci0 in stride(from: 0, to: inLanes, by: 16) {
          var tile = 0
          // Pairs of channel tiles: 8 input channels × 32 output channels per pass (half the
          // broadcasts per FMA of the 16 × 16 block below).
          while outStride - tile >= 32 {
            for half in stride(from: 0, to: 16, by: 8) {
              accumulateWeightGradient8x32(
                input: input, origin: kx * input.pixelStride + ci0 + half, ky: ky, adjoint: adjoint + tile,
                outStride: o, height: height, width: width,
                dw: dw + ((ky * k + kx) * inLanes + ci0 + half) * o + tile, overwrite: overwrite)
            }
            tile += 32
          }
          while tile < outStride {
            defer { tile += 16 }
            let d = dw + ((ky * k + kx) * inLanes + ci0) * o + tile
            // With `overwrite` the sums start from 0 (no zeroing pass over the gradient buffer).
            var a0 = F16(), a1 = F16(), a2 = F16(), a3 = F16(), a4 = F16(), a5 = F16(), a6 = F16(), a7 = F16()
            var a8 = F16(), a9 = F16(), a10 = F16(), a11 = F16(), a12 = F16(), a13 = F16(), a14 = F16(), a15 = F16()
            if !overwrite {
              a0 = load16(d); a1 = load16(d + o); a2 = load16(d + 2 * o); a3 = load16(d + 3 * o)
              a4 = load16(d + 4 * o); a5 = load16(d + 5 * o); a6 = load16(d + 6 * o); a7 = load16(d + 7 * o)
              a8 = load16(d + 8 * o); a9 = load16(d + 9 * o); a10 = load16(d + 10 * o); a11 = load16(d + 11 * o)
              a12 = load16(d + 12 * o); a13 = load16(d + 13 * o); a14 = load16(d + 14 * o); a15 = load16(d + 15 * o)
            }
            for y in 0..<height {
              var q = input.base + (y + ky) * input.rowStride + kx * input.pixelStride + ci0
              var g = adjoint + y * width * o + tile
              for _ in 0..<width {
                let h = load16(g)
                a0 = a0.addingProduct(F16(repeating: q[0]), h)
                a1 = a1.addingProduct(F16(repeating: q[1]), h)
                a2 = a2.addingProduct(F16(repeating: q[2]), h)
                a3 = a3.addingProduct(F16(repeating: q[3]), h)
                a4 = a4.addingProduct(F16(repeating: q[4]), h)
                a5 = a5.addingProduct(F16(repeating: q[5]), h)
                a6 = a6.addingProduct(F16(repeating: q[6]), h)
                a7 = a7.addingProduct(F16(repeating: q[7]), h)
                a8 = a8.addingProduct(F16(repeating: q[8]), h)
                a9 = a9.addingProduct(F16(repeating: q[9]), h)
                a10 = a10.addingProduct(F16(repeating: q[10]), h)
                a11 = a11.addingProduct(F16(repeating: q[11]), h)
                a12 = a12.addingProduct(F16(repeating: q[12]), h)
                a13 = a13.addingProduct(F16(repeating: q[13]), h)
                a14 = a14.addingProduct(F16(repeating: q[14]), h)
                a15 = a15.addingProduct(F16(repeating: q[15]), h)
                q += input.pixelStride
                g += o
              }
            }
            store16(a0, d); store16(a1, d + o); store16(a2, d + 2 * o); store16(a3, d + 3 * o)
            store16(a4, d + 4 * o); store16(a5, d + 5 * o); store16(a6, d + 6 * o); store16(a7, d + 7 * o)
            store16(a8, d + 8 * o); store16(a9, d + 9 * o); store16(a10, d + 10 * o); store16(a11, d + 11 * o)
            store16(a12, d + 12 * o); store16(a13, d + 13 * o); store16(a14, d + 14 * o); store16(a15, d + 15 * o)
          }
        }
      }
    }
  }

  /// dw[(ky·run + j)·outStride + co] (+)= Σ_{y,x} in[(y+ky)·rowStride + x·pixelStride + j] · adj[(y·width+x)·outStride + co]
  /// for j < run ≤ 16 and ky < rows: the weight gradient of a convolution whose input pixels hold
  /// exactly C_in channels, so that one kernel row's k pixels are a contiguous run of k·C_in floats
  /// (the image layer: 3·3 = 9). It reads the bordered image itself (no im2col columns), with one
  /// accumulator per run element; the rows of dw are the unrolled layout's rows tap·C_in + ci.
  static func accumulateRunWeightGradient(
    input: PaddedImage, run: Int, rows: Int, adjoint: UnsafePointer<Float>, outStride: Int,
    height: Int, width: Int, weightGradient dw: UnsafeMutablePointer<Float>, overwrite: Bool = false
  ) {
    precondition(run >= 1 && run <= 16, "a run holds 1 to 16 floats")
    forEachBand(input: input, adjoint: adjoint, outStride: outStride, height: height, width: width) { band, adjointBand, first, bandRows in
      // The image layer's run (3×3 kernel, 3 channels) as a constant: unused accumulators vanish.
      if run == 9 {
        runWeightGradient(input: band, run: 9, rows: rows, adjoint: adjointBand, outStride: outStride,
                          height: bandRows, width: width, dw: dw, overwrite: overwrite && first == 0)
      } else {
        runWeightGradient(input: band, run: run, rows: rows, adjoint: adjointBand, outStride: outStride,
                          height: bandRows, width: width, dw: dw, overwrite: overwrite && first == 0)
      }
    }
  }

  @inline(__always)
  private static func runWeightGradient(
    input: PaddedImage, run: Int, rows: Int, adjoint: UnsafePointer<Float>, outStride o: Int,
    height: Int, width: Int, dw: UnsafeMutablePointer<Float>, overwrite: Bool
  ) {
    for ky in 0..<rows {
      for tile in stride(from: 0, to: o, by: 16) {
        let d = dw + ky * run * o + tile
        var a0 = F16(), a1 = F16(), a2 = F16(), a3 = F16(), a4 = F16(), a5 = F16(), a6 = F16(), a7 = F16()
        var a8 = F16(), a9 = F16(), a10 = F16(), a11 = F16(), a12 = F16(), a13 = F16(), a14 = F16(), a15 = F16()
        if !overwrite {
          a0 = load16(d + 0 * o)
          if run > 1 { a1 = load16(d + 1 * o) }
          if run > 2 { a2 = load16(d + 2 * o) }
          if run > 3 { a3 = load16(d + 3 * o) }
          if run > 4 { a4 = load16(d + 4 * o) }
          if run > 5 { a5 = load16(d + 5 * o) }
          if run > 6 { a6 = load16(d + 6 * o) }
          if run > 7 { a7 = load16(d + 7 * o) }
          if run > 8 { a8 = load16(d + 8 * o) }
          if run > 9 { a9 = load16(d + 9 * o) }
          if run > 10 { a10 = load16(d + 10 * o) }
          if run > 11 { a11 = load16(d + 11 * o) }
          if run > 12 { a12 = load16(d + 12 * o) }
          if run > 13 { a13 = load16(d + 13 * o) }
          if run > 14 { a14 = load16(d + 14 * o) }
          if run > 15 { a15 = load16(d + 15 * o) }
        }
        for y in 0..<height {
          var q = input.base + (y + ky) * input.rowStride
          var g = adjoint + y * width * o + tile
          for _ in 0..<width {
            let h = load16(g)
            a0 = a0.addingProduct(F16(repeating: q[0]), h)
            if run > 1 { a1 = a1.addingProduct(F16(repeating: q[1]), h) }
            if run > 2 { a2 = a2.addingProduct(F16(repeating: q[2]), h) }
            if run > 3 { a3 = a3.addingProduct(F16(repeating: q[3]), h) }
            if run > 4 { a4 = a4.addingProduct(F16(repeating: q[4]), h) }
            if run > 5 { a5 = a5.addingProduct(F16(repeating: q[5]), h) }
            if run > 6 { a6 = a6.addingProduct(F16(repeating: q[6]), h) }
            if run > 7 { a7 = a7.addingProduct(F16(repeating: q[7]), h) }
            if run > 8 { a8 = a8.addingProduct(F16(repeating: q[8]), h) }
            if run > 9 { a9 = a9.addingProduct(F16(repeating: q[9]), h) }
            if run > 10 { a10 = a10.addingProduct(F16(repeating: q[10]), h) }
            if run > 11 { a11 = a11.addingProduct(F16(repeating: q[11]), h) }
            if run > 12 { a12 = a12.addingProduct(F16(repeating: q[12]), h) }
            if run > 13 { a13 = a13.addingProduct(F16(repeating: q[13]), h) }
            if run > 14 { a14 = a14.addingProduct(F16(repeating: q[14]), h) }
            if run > 15 { a15 = a15.addingProduct(F16(repeating: q[15]), h) }
            q += input.pixelStride
            g += o
          }
        }
        store16(a0, d + 0 * o)
        if run > 1 { store16(a1, d + 1 * o) }
        if run > 2 { store16(a2, d + 2 * o) }
        if run > 3 { store16(a3, d + 3 * o) }
        if run > 4 { store16(a4, d + 4 * o) }
        if run > 5 { store16(a5, d + 5 * o) }
        if run > 6 { store16(a6, d + 6 * o) }
        if run > 7 { store16(a7, d + 7 * o) }
        if run > 8 { store16(a8, d + 8 * o) }
        if run > 9 { store16(a9, d + 9 * o) }
        if run > 10 { store16(a10, d + 10 * o) }
        if run > 11 { store16(a11, d + 11 * o) }
        if run > 12 { store16(a12, d + 12 * o) }
        if run > 13 { store16(a13, d + 13 * o) }
        if run > 14 { store16(a14, d + 14 * o) }
        if run > 15 { store16(a15, d + 15 * o) }
      }
    }
  }

  /// 8 input channels × 32 output channels of the weight gradient, summed over all pixels.
  @inline(__always)
  private static func accumulateWeightGradient8x32(
    input: PaddedImage, origin: Int, ky: Int, adjoint: UnsafePointer<Float>, outStride o: Int,
    height: Int, width: Int, dw d: UnsafeMutablePointer<Float>, overwrite: Bool
  ) {
    var a00 = F16(), a01 = F16(), a10 = F16(), a11 = F16(), a20 = F16(), a21 = F16(), a30 = F16(), a31 = F16()
    var a40 = F16(), a41 = F16(), a50 = F16(), a51 = F16(), a60 = F16(), a61 = F16(), a70 = F16(), a71 = F16()
    if !overwrite {
      a00 = load16(d); a01 = load16(d + 16); a10 = load16(d + o); a11 = load16(d + o + 16)
      a20 = load16(d + 2 * o); a21 = load16(d + 2 * o + 16); a30 = load16(d + 3 * o); a31 = load16(d + 3 * o + 16)
      a40 = load16(d + 4 * o); a41 = load16(d + 4 * o + 16); a50 = load16(d + 5 * o); a51 = load16(d + 5 * o + 16)
      a60 = load16(d + 6 * o); a61 = load16(d + 6 * o + 16); a70 = load16(d + 7 * o); a71 = load16(d + 7 * o + 16)
    }
    for y in 0..<height {
      var q = input.base + (y + ky) * input.rowStride + origin
      var g = adjoint + y * width * o
      for _ in 0..<width {
        let h0 = load16(g), h1 = load16(g + 16)
        var x = F16(repeating: q[0]); a00 = a00.addingProduct(x, h0); a01 = a01.addingProduct(x, h1)
        x = F16(repeating: q[1]); a10 = a10.addingProduct(x, h0); a11 = a11.addingProduct(x, h1)
        x = F16(repeating: q[2]); a20 = a20.addingProduct(x, h0); a21 = a21.addingProduct(x, h1)
        x = F16(repeating: q[3]); a30 = a30.addingProduct(x, h0); a31 = a31.addingProduct(x, h1)
        x = F16(repeating: q[4]); a40 = a40.addingProduct(x, h0); a41 = a41.addingProduct(x, h1)
        x = F16(repeating: q[5]); a50 = a50.addingProduct(x, h0); a51 = a51.addingProduct(x, h1)
        x = F16(repeating: q[6]); a60 = a60.addingProduct(x, h0); a61 = a61.addingProduct(x, h1)
        x = F16(repeating: q[7]); a70 = a70.addingProduct(x, h0); a71 = a71.addingProduct(x, h1)
        q += input.pixelStride
        g += o
      }
    }
    store16(a00, d); store16(a01, d + 16); store16(a10, d + o); store16(a11, d + o + 16)
    store16(a20, d + 2 * o); store16(a21, d + 2 * o + 16); store16(a30, d + 3 * o); store16(a31, d + 3 * o + 16)
    store16(a40, d + 4 * o); store16(a41, d + 4 * o + 16); store16(a50, d + 5 * o); store16(a51, d + 5 * o + 16)
    store16(a60, d + 6 * o); store16(a61, d + 6 * o + 16); store16(a70, d + 7 * o); store16(a71, d + 7 * o + 16)
  }

  /// out[(y·width+x)·outPixelStride + c] = Σ in[y+ky][x+kx][co] · w[((ky·k+kx)·outChannels + c)·inLanes + co]
  /// for c < outChannels: the vectors run along the input channels and are summed at the end, for
  /// outputs with too few channels to vectorise (the adjoint of the image layer, 3 channels).
  static func convolveToFewChannels(
    input: PaddedImage, inLanes: Int, kernel k: Int,
    weights: UnsafePointer<Float>, outChannels: Int,
    output: UnsafeMutablePointer<Float>, outPixelStride: Int, height: Int, width: Int
  ) {
    for y in 0..<height {
      for x in 0..<width {
        let origin = input.base + y * input.rowStride + x * input.pixelStride
        var c = 0
        while c < outChannels {
          let group = min(4, outChannels - c)
          var s0 = F16(), s1 = F16(), s2 = F16(), s3 = F16()
          for ky in 0..<k {
            for kx in 0..<k {
              let q = origin + ky * input.rowStride + kx * input.pixelStride
              let w = weights + ((ky * k + kx) * outChannels + c) * inLanes
              for co in stride(from: 0, to: inLanes, by: 16) {
                let v = load16(q + co)
                s0 = s0.addingProduct(v, load16(w + co))
                if group > 1 { s1 = s1.addingProduct(v, load16(w + inLanes + co)) }
                if group > 2 { s2 = s2.addingProduct(v, load16(w + 2 * inLanes + co)) }
                if group > 3 { s3 = s3.addingProduct(v, load16(w + 3 * inLanes + co)) }
              }
            }
          }
          let out = output + (y * width + x) * outPixelStride + c
          out[0] = horizontalSum(s0)
          if group > 1 { out[1] = horizontalSum(s1) }
          if group > 2 { out[2] = horizontalSum(s2) }
          if group > 3 { out[3] = horizontalSum(s3) }
          c += group
        }
      }
    }
  }

  /// Sum of the 16 lanes in a fixed pairwise order (deterministic, and fast).
  @inline(__always) static func horizontalSum(_ v: F16) -> Float {
    let a = v.lowHalf + v.highHalf
    let b = a.lowHalf + a.highHalf
    let c = b.lowHalf + b.highHalf
    return c[0] + c[1]
  }
}
