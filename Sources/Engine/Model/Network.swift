// Network: an architecture compiled for computation — its layers with buffer layouts and their
// offsets into the packed weight and packed gradient buffers. Immutable and shared by all
// workspaces; the weights themselves are packed once per batch call from the flat parameters.

/// A compiled architecture.
package struct Network: Sendable {
  package let architecture: Architecture
  let layers: [any NetworkLayer]
  /// Buffer layout before each layer and after the last (index 0 is the input).
  package let buffers: [BufferShape]
  package let parameterCount: Int
  let packedWeightCount: Int
  let packedGradientCount: Int

  package init(_ architecture: Architecture) throws(ArchitectureError) {
    let shapes = try architecture.shapes()
    var current = BufferShape(channels: shapes[0].channels, height: shapes[0].height, width: shapes[0].width,
                              stride: shapes[0].channels)
    var layers: [any NetworkLayer] = []
    var buffers = [current]
    var parameters = 0, weights = 0, gradients = 0
    for spec in architecture.layers {
      var layer: any NetworkLayer
      switch spec {
      case let .conv2d(name, i, o, k, p):
        layer = Conv2dLayer(name: name, inChannels: i, outChannels: o, kernel: k, padding: p, input: current)
      case .silu: layer = ActivationLayer(kind: .silu, input: current)
      case .relu: layer = ActivationLayer(kind: .relu, input: current)
      case let .maxPool2d(size): layer = MaxPool2dLayer(size: size, input: current)
      case .globalAvgPool: layer = GlobalAvgPoolLayer(input: current)
      case let .linear(name, i, o): layer = LinearLayer(name: name, inFeatures: i, outFeatures: o, input: current)
      }
      layer.parameterOffset = parameters
      layer.packedWeightOffset = weights
      layer.packedGradientOffset = gradients
      parameters += layer.parameterCount
      weights += layer.packedWeightCount
      gradients += layer.packedGradientCount
      current = layer.output
      layers.append(layer)
      buffers.append(current)
    }
    self.architecture = architecture
    self.layers = layers
    self.buffers = buffers
    self.parameterCount = parameters
    self.packedWeightCount = weights
    self.packedGradientCount = gradients
  }

  /// Floats in one input sample (C·H·W).
  package var inputCount: Int { buffers[0].channels * buffers[0].pixels }

  /// The weights of `parameters` (flat, state_dict order) in the kernels' layouts.
  func pack(_ parameters: [Float]) -> [Float] {
    precondition(parameters.count == parameterCount, "parameter count \(parameters.count), network needs \(parameterCount)")
    var packed = [Float](repeating: 0, count: packedWeightCount)
    parameters.withUnsafeBufferPointer { p in
      packed.withUnsafeMutableBufferPointer { q in
        for layer in layers { layer.pack(p.baseAddress!, into: q.baseAddress!) }
      }
    }
    return packed
  }

  /// Adds a packed gradient into flat state_dict-ordered gradients.
  func unpackGradient(_ packed: UnsafePointer<Float>, into gradients: UnsafeMutablePointer<Float>) {
    for layer in layers { layer.unpackGradient(packed, into: gradients) }
  }
}
