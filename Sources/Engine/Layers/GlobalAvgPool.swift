// Global average pool: the mean of each channel over all pixels (PyTorch AdaptiveAvgPool2d(1)
// then flatten). Shapes: H×W×S image → vector of C features (stride C).
//   forward   y[c] = (1/HW) Σ_p x[p][c]       tangent  ẏ[c] = (1/HW) Σ_p ẋ[p][c]
//   backward  x̄[p][c] = ȳ[c] / HW (padded lanes 0); the tangent adjoint likewise.

struct GlobalAvgPoolLayer: NetworkLayer {
  let input: BufferShape
  var output: BufferShape { BufferShape(channels: input.channels, height: 1, width: 1, stride: input.channels) }

  private func mean(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    let s = input.stride, scale = 1 / Float(input.pixels)
    for c in 0..<input.channels {
      var sum: Float = 0
      for p in 0..<input.pixels { sum += x[p * s + c] }
      y[c] = sum * scale
    }
  }

  private func spread(_ y: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>) {
    let s = input.stride, scale = 1 / Float(input.pixels)
    for p in 0..<input.pixels {
      for c in 0..<s { x[p * s + c] = c < input.channels ? y[c] * scale : 0 }
    }
  }

  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>) { mean(b.val, b.valOut) }
  func tangent(_ b: LayerBuffers, weights: UnsafePointer<Float>) { mean(b.tan, b.tanOut) }

  func backward(_ b: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions) {
    guard options.needInputAdjoint else { return }
    spread(b.adjOut, b.adj)
    if options.dual { spread(b.tadjOut, b.tadj) }
  }
}
