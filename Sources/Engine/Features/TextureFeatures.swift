// TextureFeatures: local intensity variation inside the mask (DESIGN §5).

package enum TextureFeatures {
  /// `texture.contrast`: C = Σ_{(p,q)} (x_p − x_q)² / P over the P unordered in-plane 4-neighbour
  /// pairs (p, q) with both voxels in M, all three channels.
  /// ∂C/∂x_p = Σ_{q ~ p} 2 (x_p − x_q) / P.
  package static func contrast(_ context: FeatureContext) -> FeatureResult {
    if let problem = context.inputProblem { return .undefined(reason: problem) }
    let side = FeatureInput.side
    var pairs = 0
    var sum = 0.0
    var gradient = context.zeroGradient()
    func add(_ p: Int, _ q: Int) {
      guard context.inMask[q] else { return }
      let difference = context.x[p] - context.x[q]
      sum += difference * difference
      gradient[p] += 2 * difference
      gradient[q] -= 2 * difference
      pairs += 1
    }
    // Each pair once: a voxel with its right neighbour and with the one below.
    for i in context.maskIndices {
      if i % side < side - 1 { add(i, i + 1) }
      if (i / side) % side < side - 1 { add(i, i + side) }
    }
    guard pairs > 0 else { return .undefined(reason: "no two 4-neighbouring voxels inside the mask") }
    let count = Double(pairs)
    for i in context.maskIndices { gradient[i] /= count }
    return .defined(value: sum / count, gradient: gradient)
  }
}
