// Inputs the feature, alignment and statistics tests share: hand-built masks and intensities whose
// feature values are known, and seeded random inputs with small masks for gradient checks.
import Common
import Engine

enum FeatureTestInputs {
  static let plane = FeatureInput.plane

  /// Sets mask voxels of channel c over rows r0…r1, columns c0…c1 (inclusive) to `value`.
  static func fill(_ mask: inout [Float], c: Int, rows: ClosedRange<Int>, columns: ClosedRange<Int>, value: Float = 1) {
    for y in rows { for x in columns { mask[FeatureInput.index(c: c, y: y, x: x)] = value } }
  }

  /// The reference input of the catalogue test: rectangles of different sizes on the three slices,
  /// with a bump and a notch on the centre one; integer-patterned intensities k/40 (k = 12…22 inside,
  /// −10…−4 outside). The same construction, in numpy, produced the reference values.
  static func reference(sliceThickness: Double = 3) -> FeatureInput {
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    fill(&mask, c: 0, rows: 28...35, columns: 28...33)
    fill(&mask, c: 1, rows: 26...37, columns: 27...34)
    fill(&mask, c: 2, rows: 27...36, columns: 27...35)
    fill(&mask, c: 1, rows: 30...33, columns: 35...36)
    fill(&mask, c: 1, rows: 26...27, columns: 27...28, value: 0)
    var x = [Float](repeating: 0, count: FeatureInput.count)
    for c in 0..<3 {
      for r in 0..<64 {
        for q in 0..<64 {
          let i = FeatureInput.index(c: c, y: r, x: q)
          let k = mask[i] > 0 ? (3 * r + 5 * q + 7 * c) % 11 + 12 : (r * q + c) % 7 - 10
          x[i] = Float(Double(k) / 40)
        }
      }
    }
    return FeatureInput(x: x, mask: mask, sliceThickness: sliceThickness)
  }

  /// An 8×8 square (rows and columns 28…35) on all three slices, x = +1 inside and −1 outside: t = 0,
  /// p = 1, so s = sigmoid(10) on M and sigmoid(−10) on its ring.
  static func brightSquare(sliceThickness: Double = 3) -> FeatureInput {
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    for c in 0..<3 { fill(&mask, c: c, rows: 28...35, columns: 28...35) }
    let x = mask.map { $0 > 0 ? Float(1) : -1 }
    return FeatureInput(x: x, mask: mask, sliceThickness: sliceThickness)
  }

  /// A random input with a small irregular mask near the centre (a few to a few dozen voxels per
  /// slice, different on each) and x ~ U(−1, 1) with the mask brighter or darker than its ring.
  static func random(seed: UInt64) -> FeatureInput {
    var random = SeededRandom(seed: seed)
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    for c in 0..<3 {
      let cy = 30 + random.index(4), cx = 30 + random.index(4)
      let halfHeight = 1 + random.index(3), halfWidth = 1 + random.index(3)
      for y in (cy - halfHeight)...(cy + halfHeight) {
        for x in (cx - halfWidth)...(cx + halfWidth) where random.uniform() < 0.8 {
          mask[FeatureInput.index(c: c, y: y, x: x)] = 1
        }
      }
      mask[FeatureInput.index(c: c, y: cy, x: cx)] = 1
      mask[FeatureInput.index(c: c, y: cy, x: cx + 1)] = 1
    }
    let offset = random.uniform() < 0.5 ? 0.3 : -0.3
    let x = mask.map { m in Float(random.uniform(-0.6, 0.6) + (m > 0 ? offset : 0)) }
    return FeatureInput(x: x, mask: mask, sliceThickness: 1 + random.uniform(0, 3))
  }

  /// A Gaussian random vector of d = 3·64·64 entries (a stand-in for a model gradient).
  static func gaussianVector(seed: UInt64) -> [Float] {
    var random = SeededRandom(seed: seed, stream: 99)
    return (0..<FeatureInput.count).map { _ in Float(random.normal()) }
  }
}
