// PositionFeatures: where the tumour sits in the crop (DESIGN §5). Negative controls: the crop is
// centred on the mask, so a sound model should not follow them.

package enum PositionFeatures {
  /// `position.x`: Σ s (col − 32) / Σ s on the centre channel (mm from the crop centre; + toward
  /// the patient's left).   ∂/∂x_i = (col_i − 32 − position.x) ds_i/dx_i / Σ s.
  package static func x(_ context: FeatureContext) -> FeatureResult {
    centroid(context) { $0 % FeatureInput.side }
  }

  /// `position.y`: Σ s (row − 32) / Σ s on the centre channel (mm from the crop centre; + toward
  /// posterior).   ∂/∂x_i = (row_i − 32 − position.y) ds_i/dx_i / Σ s.
  package static func y(_ context: FeatureContext) -> FeatureResult {
    centroid(context) { $0 / FeatureInput.side }
  }

  /// The s-weighted mean of `coordinate(pixel) − 32` on the centre channel, with its gradient.
  private static func centroid(_ context: FeatureContext, _ coordinate: (Int) -> Int) -> FeatureResult {
    ShapeFeatures.withOccupancy(context, centre: true) { occupancy in
      let offset = FeatureInput.centreChannel * FeatureInput.plane
      let centre = Double(FeatureInput.side / 2)
      var weight = 0.0, sum = 0.0
      for p in 0..<FeatureInput.plane {
        weight += occupancy.s[offset + p]
        sum += occupancy.s[offset + p] * (Double(coordinate(p)) - centre)
      }
      let value = sum / weight
      var gradient = context.zeroGradient()
      for p in 0..<FeatureInput.plane where occupancy.slope[offset + p] != 0 {
        gradient[offset + p] = (Double(coordinate(p)) - centre - value) * occupancy.slope[offset + p] / weight
      }
      return .defined(value: value, gradient: gradient)
    }
  }
}
