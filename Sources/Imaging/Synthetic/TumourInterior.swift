// TumourInterior: the tumour's inside. An enhancing mass of mean HU μ whose heterogeneity h ∈ [0, 1]
// scales two departures from uniform: a correlated texture (standard deviation 30 HU at h = 1,
// grain about 2–3 mm) and necrotic low-density patches (up to 85 HU darker). The result is shifted
// so that the mean over the GTV is exactly μ: heterogeneity changes texture, never the mean.

import Common
import Glibc

struct TumourInterior: Sendable {
  /// A necrotic patch: a Gaussian blob around centre + offset with standard deviation `radius`.
  struct Blob: Sendable {
    var offset: SIMD3<Double>
    var radius: Double
  }

  static let textureAmplitude = 30.0
  static let necrosisDepth = 85.0

  var blobs: [Blob]
  var heterogeneity: Double
  var meanHU: Double

  init(random: inout SeededRandom, shape: TumourShape, heterogeneity: Double, meanHU: Double) {
    self.heterogeneity = heterogeneity
    self.meanHU = meanHU
    blobs = (0..<3).map { _ in
      let mu = random.uniform(-1, 1), angle = random.uniform(0, 2 * Double.pi)
      let ring = (1 - mu * mu).squareRoot(), distance = random.uniform(0, 0.45) * shape.scale
      return Blob(offset: SIMD3(ring * cos(angle), ring * sin(angle), mu) * distance,
                  radius: random.uniform(0.22, 0.35) * shape.scale)
    }
  }

  /// Necrosis weight ν ∈ [0, 1] at a point `delta` from the tumour centre (mm).
  @inline(__always) func necrosis(at delta: SIMD3<Double>) -> Double {
    var strongest = 0.0
    for blob in blobs {
      let d = delta - blob.offset
      strongest = max(strongest, exp(-(d * d).sum() / (2 * blob.radius * blob.radius)))
    }
    return NeckAnatomy.smoothstep(0.35, 0.75, strongest)
  }

  /// HU of the tumour tissue at the voxels of a box, given a unit-variance texture field there, the
  /// necrosis weights and which voxels are in the GTV (for the mean).
  func tissue(texture: [Float], necrosis: [Float], inMask: [Bool]) -> [Float] {
    let h = heterogeneity
    var departure = [Double](repeating: 0, count: texture.count)
    var sum = 0.0, count = 0
    for i in texture.indices {
      departure[i] = h * (Self.textureAmplitude * Double(texture[i]) - Self.necrosisDepth * Double(necrosis[i]))
      if inMask[i] { sum += departure[i]; count += 1 }
    }
    let shift = count > 0 ? sum / Double(count) : 0
    return departure.map { Float(meanHU + $0 - shift) }
  }
}
