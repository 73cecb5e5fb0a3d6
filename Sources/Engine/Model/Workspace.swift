// Workspace: the per-sample buffers of one worker thread (values, tangents, adjoints, tangent
// adjoints of every layer boundary, and each layer's scratch), allocated once and reused, and the
// per-sample passes over them. Buffers are channels-last; inputs and input gradients cross the
// boundary in PyTorch's channels-first order [C][H][W]. Two pairs of layers run fused: a
// convolution computes the activation after it as its epilogue, and an activation followed by a
// max pool runs as one unit in every pass (ActivationPool.swift; the activation's own buffers
// that the fusion makes unnecessary — ȧ, the pool's input adjoint — are not written), its forward
// pass taking each band of the convolution's output rows as soon as it is computed.

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

  /// Copies a channels-first sample into a channels-last buffer (pixel by pixel, so the
  /// channels-last side is written sequentially; the image has 3 channels).
  private func load(_ sample: UnsafePointer<Float>, into buffer: UnsafeMutablePointer<Float>) {
    let shape = network.buffers[0], pixels = shape.pixels, channels = shape.channels
    if channels == 3 {
      let red = sample, green = sample + pixels, blue = sample + 2 * pixels
      var to = buffer
      for p in 0..<pixels {
        to[0] = red[p]; to[1] = green[p]; to[2] = blue[p]
        to += shape.stride
      }
      return
    }
    for c in 0..<channels {
      for p in 0..<pixels { buffer[p * shape.stride + c] = sample[c * pixels + p] }
    }
  }

  /// Runs the network on one sample [C][H][W]; returns the logit and keeps every activation.
  func forward(_ x: UnsafePointer<Float>, weights: UnsafePointer<Float>) -> Float {
    load(x, into: val[0])
    let layers = network.layers
    var i = 0
    while i < layers.count {
      if i + 1 < layers.count, let conv = layers[i] as? Conv2dLayer, let activation = layers[i + 1] as? ActivationLayer {
        // A convolution followed by an activation computes both while its output is in cache;
        // with a pool after them, the convolution runs in bands of the pool's rows, each pooled
        // at once from L1 (band buffers at the start of the full-size ones, which nothing else
        // reads), picking the epilogue's sigmoid at the winners.
        let epilogue = activation.epilogue(buffers(i + 1))
        if case let (activation, pool)? = fusedPool(after: i + 1) {
          let activationBuffers = buffers(i + 1), poolBuffers = buffers(i + 2)
          let sigmoid = epilogue.sigmoid.map { UnsafePointer($0) }
          let size = pool.size, rowFloats = pool.input.width * pool.input.stride
          conv.forwardInBands(buffers(i), weights: weights, epilogue: epilogue, band: size) { first in
            let row = first / size
            activation.forwardThroughPool(pool, activationBuffers, poolBuffers, rows: row..<(row + 1),
                                          bandOrigin: first * rowFloats, sigmoid: sigmoid)
          }
          i += 3
        } else {
          conv.forward(buffers(i), weights: weights, epilogue: epilogue)
          i += 2
        }
      } else if case let (activation, pool)? = fusedPool(after: i - 1) {
        activation.forwardThroughPool(pool, buffers(i - 1), buffers(i))
        i += 1
      } else {
        layers[i].forward(buffers(i), weights: weights)
        i += 1
      }
    }
    return val[layers.count][0]
  }

  /// The activation at `index` and the pool after it, when they run fused (ActivationPool.swift).
  private func fusedPool(after index: Int) -> (ActivationLayer, MaxPool2dLayer)? {
    let layers = network.layers
    guard index >= 0, index + 1 < layers.count, let activation = layers[index] as? ActivationLayer,
          let pool = layers[index + 1] as? MaxPool2dLayer, activation.fuses(with: pool) else { return nil }
    return (activation, pool)
  }

  /// ∇ₓf of the last forward sample, written channels-first into `u`.
  func inputGradient(weights: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
    let last = network.layers.count
    adj[last][0] = 1
    backward(weights: weights) { _ in BackwardOptions(dual: false, needInputAdjoint: true, gradients: nil) }
    let shape = network.buffers[0], pixels = shape.pixels, input = adj[0]
    if shape.channels == 3 {
      let red = u, green = u + pixels, blue = u + 2 * pixels
      var from = UnsafePointer(input)
      for p in 0..<pixels {
        red[p] = from[0]; green[p] = from[1]; blue[p] = from[2]
        from += shape.stride
      }
      return
    }
    for c in 0..<shape.channels {
      for p in 0..<pixels { u[c * pixels + p] = input[p * shape.stride + c] }
    }
  }

  /// The tangent pass along `v` [C][H][W] at the last forward sample; returns ḟ = ⟨∇ₓf, v⟩.
  func tangent(_ v: UnsafePointer<Float>, weights: UnsafePointer<Float>) -> Float {
    load(v, into: tan[0])
    let layers = network.layers
    var i = 0
    while i < layers.count {
      if case let (activation, pool)? = fusedPool(after: i) {
        activation.tangentThroughPool(pool, buffers(i), buffers(i + 1))
        i += 2
      } else {
        layers[i].tangent(buffers(i), weights: weights)
        i += 1
      }
    }
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
    backward(weights: weights) { i in
      BackwardOptions(dual: tangentAdjoint != nil, needInputAdjoint: i > 0, gradients: gradient)
    }
  }

  /// The layers' backward passes, last to first, with `options(i)` for layer i; an activation
  /// followed by a pool runs as one fused pass (its options are the activation's).
  private func backward(weights: UnsafePointer<Float>, options: (Int) -> BackwardOptions) {
    let layers = network.layers
    var i = layers.count - 1
    while i >= 0 {
      if case let (activation, pool)? = fusedPool(after: i - 1) {
        activation.backwardThroughPool(pool, buffers(i - 1), buffers(i), options: options(i - 1))
        i -= 2
      } else {
        layers[i].backward(buffers(i), weights: weights, options: options(i))
        i -= 1
      }
    }
  }
}
