// The contract every layer of a compiled network meets. A layer maps buffer i (its input) to
// buffer i+1 (its output) of a per-sample workspace, in four passes:
//   forward     val[i]  → val[i+1]
//   tangent     tan[i]  → tan[i+1]      the JVP: tan[i+1] = J · tan[i] (after forward)
//   backward    adj[i+1] (and tadj[i+1] for the dual pass) → adj[i] (and tadj[i]), writing the
//               parameter gradient of ⟨adj, val⟩ + ⟨tadj, tan⟩ into the packed gradient buffer.
// The dual backward is reverse mode over the (forward, tangent) pair: for a = σ(z), ȧ = σ'(z)ż it
// gives z̄ = σ'(z)ā + σ''(z)ż·ǡ and ż̄ = σ'(z)ǡ, which makes ∇θ⟨∇ₓf, v⟩ exact.
// Buffers are channels-last (NHWC) with a per-pixel channel stride (see `BufferShape`).

/// Layout of one activation buffer: `height × width` pixels of `stride` floats, of which the
/// first `channels` are used and the rest are zero.
package struct BufferShape: Sendable, Equatable {
  package var channels: Int
  package var height: Int
  package var width: Int
  package var stride: Int
  package var count: Int { height * width * stride }
  package var pixels: Int { height * width }
}

/// What a layer needs from the backward pass.
struct BackwardOptions {
  /// Whether the tangent adjoints are live (the dual pass); otherwise only primal adjoints.
  var dual: Bool
  /// Whether adj[i] (and tadj[i]) must be produced; false for the first layer in training.
  var needInputAdjoint: Bool
  /// Packed parameter gradients to set (this sample's gradient: the layer writes its whole
  /// region), or nil when only the input gradient is wanted.
  var gradients: UnsafeMutablePointer<Float>?
}

protocol NetworkLayer: Sendable {
  var input: BufferShape { get }
  var output: BufferShape { get }
  /// Floats of per-sample scratch this layer needs (padded copies, im2col columns, argmax).
  var scratchCount: Int { get }
  /// Floats of packed weights (in the kernels' layouts) and of packed gradients.
  var packedWeightCount: Int { get }
  var packedGradientCount: Int { get }
  /// Offsets assigned when the network is compiled.
  var packedWeightOffset: Int { get set }
  var packedGradientOffset: Int { get set }
  var parameterOffset: Int { get set }
  /// Number of parameters (PyTorch layout) of this layer.
  var parameterCount: Int { get }

  /// Writes this layer's weights from `parameters` (flat, state_dict layout) into `packed`.
  func pack(_ parameters: UnsafePointer<Float>, into packed: UnsafeMutablePointer<Float>)
  /// Adds this layer's packed gradient into `gradients` (flat, state_dict layout).
  func unpackGradient(_ packed: UnsafePointer<Float>, into gradients: UnsafeMutablePointer<Float>)
  /// Prepares scratch that must start zeroed (padding borders) once per workspace.
  func initializeScratch(_ scratch: UnsafeMutablePointer<Float>)

  func forward(_ s: LayerBuffers, weights: UnsafePointer<Float>)
  func tangent(_ s: LayerBuffers, weights: UnsafePointer<Float>)
  func backward(_ s: LayerBuffers, weights: UnsafePointer<Float>, options: BackwardOptions)
}

extension NetworkLayer {
  var scratchCount: Int { 0 }
  var packedWeightCount: Int { 0 }
  var packedGradientCount: Int { 0 }
  var parameterCount: Int { 0 }
  var packedWeightOffset: Int { get { 0 } set {} }
  var packedGradientOffset: Int { get { 0 } set {} }
  var parameterOffset: Int { get { 0 } set {} }
  func pack(_ parameters: UnsafePointer<Float>, into packed: UnsafeMutablePointer<Float>) {}
  func unpackGradient(_ packed: UnsafePointer<Float>, into gradients: UnsafeMutablePointer<Float>) {}
  func initializeScratch(_ scratch: UnsafeMutablePointer<Float>) {}
}

/// The buffers of one layer in one workspace: its input (i) and output (i+1) values, tangents,
/// adjoints and tangent adjoints, and its scratch.
struct LayerBuffers {
  var val: UnsafeMutablePointer<Float>
  var valOut: UnsafeMutablePointer<Float>
  var tan: UnsafeMutablePointer<Float>
  var tanOut: UnsafeMutablePointer<Float>
  var adj: UnsafeMutablePointer<Float>
  var adjOut: UnsafeMutablePointer<Float>
  var tadj: UnsafeMutablePointer<Float>
  var tadjOut: UnsafeMutablePointer<Float>
  var scratch: UnsafeMutablePointer<Float>
}
