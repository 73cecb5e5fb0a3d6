// Workspace: the per-sample buffers of one worker thread (values, tangents, adjoints, tangent
// adjoints of every layer boundary, and each layer's scratch), allocated once and reused, and the
// per-sample passes over them. Buffers are channels-last; inputs and input gradients cross the
// boundary in PyTorch's channels-first order [C][H][W].

final class Workspace {
  let network: Network
  private let storage: UnsafeMutablePointer<Float>
  private let storageCount: Int
  // Constants after init (`let`, so no dynamic exclusivity checks in the per-sample passes).
  private let val: [UnsafeMutablePointer<Float>]
  private let tan: [UnsafeMutablePointer<Float>]
  private let adj: [UnsafeMutablePointer<Float>]
  private let tadj: [UnsafeMutablePointer<Float>]
  private let scratch: [UnsafeMutablePointer<Float>]
  /// Packed gradient of the current sample.
  let gradient: UnsafeMutablePointer<Float>

  init(network: Network) {
    self.network = network
    // Each region starts on a 64-byte line.
    func aligned(_ n: Int) -> Int { (n + 15) / 16 * 16 }
    let boundaries = network.buffers.reduce(0) { $0 + aligned($1.count) }
    let scratches = network.layers.reduce(0) { $0 + aligned($1.scratchCount) }
    storageCount = 4 * boundaries + scratches + aligned(network.packedGradientCount)
    storage = .allocate(capacity: storageCount)
    storage.initialize(repeating: 0, count: storageCount)
    var next = storage
    func take(_ n: Int) -> UnsafeMutablePointer<Float> { defer { next += aligned(n) }; return next }
    var val: [UnsafeMutablePointer<Float>] = [], tan = val, adj = val, tadj = val, scratch = val
    for shape in network.buffers {
      val.append(take(shape.count)); tan.append(take(shape.count))
      adj.append(take(shape.count)); tadj.append(take(shape.count))
    }
    for layer in network.layers {
      let region = take(layer.scratchCount)
      layer.initializeScratch(region)
      scratch.append(region)
    }
    gradient = take(network.packedGradientCount)
    self.val = val; self.tan = tan; self.adj = adj; self.tadj = tadj; self.scratch = scratch
  }

  deinit { storage.deallocate() }

  private func buffers(_ i: Int) -> LayerBuffers {
    LayerBuffers(val: val[i], valOut: val[i + 1], tan: tan[i], tanOut: tan[i + 1],
                 adj: adj[i], adjOut: adj[i + 1], tadj: tadj[i], tadjOut: tadj[i + 1], scratch: scratch[i])
  }

  /// Copies a channels-first sample into a channels-last buffer.
  private func load(_ sample: UnsafePointer<Float>, into buffer: UnsafeMutablePointer<Float>) {
    let shape = network.buffers[0], pixels = shape.pixels
    for c in 0..<shape.channels {
      for p in 0..<pixels { buffer[p * shape.stride + c] = sample[c * pixels + p] }
    }
  }

  /// Runs the network on one sample [C][H][W]; returns the logit and keeps every activation.
  func forward(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>) -> Float {
    load(x, into: val[0])
    let layers = network.layers
    var i = 0
    while i < layers.count {
      // A convolution followed by an activation computes both while its output is in cache.
      if i + 1 < layers.count, let conv = layers[i] as? Conv2dLayer, let activation = layers[i + 1] as? ActivationLayer {
        conv.forward(buffers(i), weights: weights, epilogue: activation.epilogue(buffers(i + 1)))
        i += 2
      } else {
        layers[i].forward(buffers(i), weights: weights)
        i += 1
      }
    }
    return val[layers.count][0]
  }

  /// ∇ₓf of the last forward sample, written channels-first into `u`.
  func inputGradient(weights: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
    let last = network.layers.count
    adj[last][0] = 1
    let options = BackwardOptions(dual: false, needInputAdjoint: true, gradients: nil)
    for i in stride(from: last - 1, through: 0, by: -1) {
      network.layers[i].backward(buffers(i), weights: weights, options: options)
    }
    let shape = network.buffers[0], pixels = shape.pixels
    for c in 0..<shape.channels {
      for p in 0..<pixels { u[c * pixels + p] = adj[0][p * shape.stride + c] }
    }
  }

  /// The tangent pass along `v` [C][H][W] at the last forward sample; returns ḟ = ⟨∇ₓf, v⟩.
  func tangent(_ v: UnsafePointer<Float>, weights: UnsafePointer<Float>) -> Float {
    load(v, into: tan[0])
    for (i, layer) in network.layers.enumerated() { layer.tangent(buffers(i), weights: weights) }
    return tan[network.layers.count][0]
  }

  /// Writes into `destination` (default: `gradient`) the packed parameter gradient of
  /// outputAdjoint·f (+ tangentAdjoint·ḟ when given, after `tangent`) at the last forward sample.
  func parameterGradient(outputAdjoint: Float, tangentAdjoint: Float?, weights: UnsafePointer<Float>,
                         into destination: UnsafeMutablePointer<Float>? = nil) {
    let gradient = destination ?? self.gradient
    let last = network.layers.count
    adj[last][0] = outputAdjoint
    tadj[last][0] = tangentAdjoint ?? 0
    for i in stride(from: last - 1, through: 0, by: -1) {
      let options = BackwardOptions(dual: tangentAdjoint != nil, needInputAdjoint: i > 0, gradients: gradient)
      network.layers[i].backward(buffers(i), weights: weights, options: options)
    }
  }
}
