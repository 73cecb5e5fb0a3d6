// CorrelatedNoise: seeded, spatially correlated random fields for the phantom: scanner noise and
// tumour texture. White noise (a sum of four uniforms per voxel: cheap and near-Gaussian once
// blurred) is smoothed by passes of the binomial kernel [1 2 1]/4.

import Common

enum CorrelatedNoise {
  /// A field of nx × ny × nz values ([z][y][x]) with zero mean: white noise of variance 1/3 blurred
  /// `inPlanePasses` times along x and y, and once along z if `acrossSlices`.
  static func field(nx: Int, ny: Int, nz: Int, inPlanePasses: Int, acrossSlices: Bool, random: SeededRandom) -> [Float] {
    var random = random
    let count = nx * ny * nz
    var values = [Float](repeating: 0, count: count)
    let unit: Float = 1 / 65536
    for i in 0..<count {
      let bits = random.next()
      let a = Float(bits & 0xFFFF), b = Float((bits >> 16) & 0xFFFF)
      let c = Float((bits >> 32) & 0xFFFF), d = Float(bits >> 48)
      values[i] = (a + b + c + d) * unit - 2   // four uniforms on [0, 1), centred: variance ≈ 4/12
    }
    var scratch = values
    for _ in 0..<inPlanePasses {
      blur(&values, &scratch, count: nx, stride: 1, lines: (0..<(ny * nz)).map { $0 * nx })
      blur(&values, &scratch, count: ny, stride: nx, lines: (0..<nz).flatMap { z in (0..<nx).map { z * nx * ny + $0 } })
    }
    if acrossSlices && nz > 1 {
      blur(&values, &scratch, count: nz, stride: nx * ny, lines: Array(0..<(nx * ny)))
    }
    return values
  }

  /// [1 2 1]/4 along lines of `count` values `stride` apart starting at each of `lines`; the end
  /// values are repeated past the ends.
  private static func blur(_ values: inout [Float], _ scratch: inout [Float], count: Int, stride: Int, lines: [Int]) {
    guard count > 1 else { return }
    for start in lines {
      for n in 0..<count {
        let here = values[start + n * stride]
        let before = values[start + max(0, n - 1) * stride], after = values[start + min(count - 1, n + 1) * stride]
        scratch[start + n * stride] = 0.25 * before + 0.5 * here + 0.25 * after
      }
    }
    swap(&values, &scratch)   // the lines cover every value, so `scratch` is fully rewritten next time
  }

  /// The standard deviation of `field` values away from the borders: √(1/3 · Π Σw²) with Σw² = 3/8
  /// for one pass of [1 2 1]/4 and 70/256 for two ([1 4 6 4 1]/16).
  static func standardDeviation(inPlanePasses: Int, acrossSlices: Bool) -> Float {
    var kernel: [Double] = [1]
    for _ in 0..<inPlanePasses {
      var next = [Double](repeating: 0, count: kernel.count + 2)
      for (i, w) in kernel.enumerated() { next[i] += w / 4; next[i + 1] += w / 2; next[i + 2] += w / 4 }
      kernel = next
    }
    let perAxis = kernel.reduce(0) { $0 + $1 * $1 }
    let variance = (1.0 / 3.0) * perAxis * perAxis * (acrossSlices ? 3.0 / 8.0 : 1)
    return Float(variance.squareRoot())
  }

  /// Shifts and scales `field` so that the values where `over` is true have mean 0 and standard
  /// deviation 1 (unchanged if fewer than two such values or no spread).
  static func standardize(_ field: inout [Float], over: [Bool]) {
    var sum = 0.0, sumSquares = 0.0, count = 0
    for i in field.indices where over[i] {
      sum += Double(field[i]); sumSquares += Double(field[i]) * Double(field[i]); count += 1
    }
    guard count >= 2 else { return }
    let mean = sum / Double(count)
    let variance = max(0, sumSquares / Double(count) - mean * mean)
    guard variance > 1e-12 else { return }
    let scale = Float(1 / variance.squareRoot()), shift = Float(mean)
    for i in field.indices { field[i] = (field[i] - shift) * scale }
  }
}
