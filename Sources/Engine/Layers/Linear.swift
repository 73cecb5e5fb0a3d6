// Linear: y = W x + b on a feature vector (PyTorch Linear). Shapes: vector of I → vector of O;
// weight W[o][i] (state_dict layout, used as is), bias b[o].
//   forward   y = W x + b                     tangent  ẏ = W ẋ
//   backward  x̄ = Wᵀ ȳ, W̄ += ȳ xᵀ (+ ẏ̄ ẋᵀ), b̄ += ȳ;  the tangent adjoint ẋ̄ = Wᵀ ẏ̄.

struct LinearLayer: NetworkLayer {
  let name: String
  let inFeatures: Int
  let outFeatures: Int
  let input: BufferShape
  var output: BufferShape { BufferShape(channels: outFeatures, height: 1, width: 1, stride: outFeatures) }

  var packedWeightOffset = 0
  var packedGradientOffset = 0
  var parameterOffset = 0

  init(name: String, inFeatures: Int, outFeatures: Int, input: BufferShape) {
    self.name = name
    self.inFeatures = inFeatures
    self.outFeatures = outFeatures
    self.input = input
  }

  var parameterCount: Int { outFeatures * inFeatures + outFeatures }
  var packedWeightCount: Int { parameterCount }
  var packedGradientCount: Int { parameterCount }

  func pack(_ parameters: UnsafePointer<Float>, into packed: UnsafeMutablePointer<Float>) {
    (packed + packedWeightOffset).update(from: parameters + parameterOffset, count: parameterCount)
  }

  func unpackGradient(_ packed: UnsafePointer<Float>, into gradients: UnsafeMutablePointer<Float>) {
    for i in 0..<parameterCount { gradients[parameterOffset + i] += packed[packedGradientOffset + i] }
  }

  private func multiply(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
    for o in 0..<outFeatures {
      var sum: Float = bias?[o] ?? 0
      for i in 0..<inFeatures { sum += w[o * inFeatures + i] * x[i] }
      y[o] = sum
    }
  }

  private func multiplyTransposed(_ w: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>) {
    for i in 0..<inFeatures {
      var sum: Float = 0
      for o in 0..<outFeatures { sum += w[o * inFeatures + i] * y[o] }
      x[i] = sum
    }
  }

  func forward(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    let w = weights + packedWeightOffset
    multiply(w, b.val, b.valOut, bias: w + outFeatures * inFeatures)
  }

  func tangent(_ b: LayerBuffers, weights: UnsafePointer<Float>) {
    multiply(weights + packedWeightOffset, b.tan, b.tanOut, bias: nil)
  }

  func backward(_ b: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions) {
    let w = weights + packedWeightOffset
    if let gradients = options.gradients {
      let g = gradients + packedGradientOffset
      for o in 0..<outFeatures {
        let a = b.adjOut[o], t = options.dual ? b.tadjOut[o] : 0
        for i in 0..<inFeatures {
          g[o * inFeatures + i] = options.dual ? a * b.val[i] + t * b.tan[i] : a * b.val[i]
        }
        g[outFeatures * inFeatures + o] = a
      }
    }
    guard options.needInputAdjoint else { return }
    multiplyTransposed(w, b.adjOut, b.adj)
    if options.dual { multiplyTransposed(w, b.tadjOut, b.tadj) }
  }
}
