// SoftOccupancy: the differentiable "how much is tumour" map s that the shape and position
// features are built on (DESIGN §5), with its slope ds/dx.
//
//   R = (M dilated in-plane, per channel, by a 7×7 square, clipped at the crop) minus M
//   t = (mean_M x + mean_R x) / 2,  p = sign(mean_M x − mean_R x) (1 if equal)    over all 3 channels,
//                                                                                 constants: no gradient
//   s = sigmoid(p (x − t) / 0.1) on M ∪ R, 0 elsewhere;  ds/dx = s (1 − s) p / 0.1

import Glibc

/// The constants of the soft occupancy, held fixed when differentiating.
package struct OccupancyConstants: Sendable, Equatable {
  /// t: halfway between the mean of x inside M and in its ring.
  package var threshold: Double
  /// p: +1 when the tumour is brighter than its ring (or equal), −1 when darker.
  package var polarity: Double
  package init(threshold: Double, polarity: Double) {
    self.threshold = threshold
    self.polarity = polarity
  }
}

package struct SoftOccupancy {
  /// Width of the sigmoid edge, in x units (0.1 = 20 HU).
  package static let temperature = 0.1
  /// Half-width of the square that dilates M into its ring (7×7 → 3).
  package static let ringRadius = 3

  package let constants: OccupancyConstants
  /// s per voxel, 0 outside M ∪ R.
  package let s: [Double]
  /// ds/dx per voxel, 0 outside M ∪ R.
  package let slope: [Double]
  /// Voxels of R (all channels).
  package let ringCount: Int

  static func make(_ context: FeatureContext) -> Result<SoftOccupancy, UndefinedFeature> {
    let ring = ringMask(context.inMask)
    var ringSum = 0.0, ringCount = 0
    for i in 0..<FeatureInput.count where ring[i] {
      ringSum += context.x[i]
      ringCount += 1
    }
    guard ringCount > 0 else {
      return .failure(UndefinedFeature("no ring around the mask (it fills its slices)"))
    }
    var maskSum = 0.0
    for i in context.maskIndices { maskSum += context.x[i] }
    let maskMean = maskSum / Double(context.maskIndices.count)
    let ringMean = ringSum / Double(ringCount)
    let constants = context.frozenOccupancyConstants
      ?? OccupancyConstants(threshold: (maskMean + ringMean) / 2, polarity: maskMean >= ringMean ? 1 : -1)

    var s = [Double](repeating: 0, count: FeatureInput.count)
    var slope = [Double](repeating: 0, count: FeatureInput.count)
    let scale = constants.polarity / temperature
    for i in 0..<FeatureInput.count where ring[i] || context.inMask[i] {
      let value = 1 / (1 + exp(-scale * (context.x[i] - constants.threshold)))
      s[i] = value
      slope[i] = value * (1 - value) * scale
    }
    return .success(SoftOccupancy(constants: constants, s: s, slope: slope, ringCount: ringCount))
  }

  /// R: M dilated in-plane per channel by the (2·ringRadius+1)² square, minus M. The square is
  /// separable: a running maximum along rows, then along columns.
  static func ringMask(_ inMask: [Bool]) -> [Bool] {
    let side = FeatureInput.side, radius = ringRadius
    var rows = [Bool](repeating: false, count: FeatureInput.count)
    var dilated = [Bool](repeating: false, count: FeatureInput.count)
    for c in 0..<FeatureInput.channels {
      for y in 0..<side {
        for x in 0..<side where inMask[FeatureInput.index(c: c, y: y, x: x)] {
          for xx in max(0, x - radius)...min(side - 1, x + radius) { rows[FeatureInput.index(c: c, y: y, x: xx)] = true }
        }
      }
      for y in 0..<side {
        for x in 0..<side where rows[FeatureInput.index(c: c, y: y, x: x)] {
          for yy in max(0, y - radius)...min(side - 1, y + radius) { dilated[FeatureInput.index(c: c, y: yy, x: x)] = true }
        }
      }
    }
    return (0..<FeatureInput.count).map { dilated[$0] && !inMask[$0] }
  }
}
