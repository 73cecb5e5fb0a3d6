// AffineMath: the few 4×4 affine operations geometry needs (row-major [Double] of 16, last row
// 0 0 0 1): products, column lengths (voxel spacing) and axis obliquity.

import Foundation

enum AffineMath {
  static let identity: [Double] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]

  /// a · b.
  static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
    var product = [Double](repeating: 0, count: 16)
    for row in 0..<4 {
      for column in 0..<4 {
        var sum = 0.0
        for k in 0..<4 { sum += a[row * 4 + k] * b[k * 4 + column] }
        product[row * 4 + column] = sum
      }
    }
    return product
  }

  /// Lengths of the first three columns: the voxel spacing along each array axis.
  static func columnLengths(_ affine: [Double]) -> SIMD3<Double> {
    func length(_ column: Int) -> Double {
      (0..<3).reduce(0.0) { $0 + affine[$1 * 4 + column] * affine[$1 * 4 + column] }.squareRoot()
    }
    return SIMD3(length(0), length(1), length(2))
  }

  /// Determinant of the 3×3 linear part.
  static func determinant(_ m: [Double]) -> Double {
    m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
      + m[2] * (m[4] * m[9] - m[5] * m[8])
  }

  /// The largest angle, in degrees, between an array axis and the patient axis nearest to it
  /// (0 for an axis-aligned affine).
  static func obliquityDegrees(_ affine: [Double]) -> Double {
    let lengths = columnLengths(affine)
    var largest = 0.0
    for column in 0..<3 where lengths[column] > 0 {
      let cosine = (0..<3).map { abs(affine[$0 * 4 + column]) }.max()! / lengths[column]
      largest = max(largest, acos(min(1, cosine)) * 180 / .pi)
    }
    return largest
  }
}
