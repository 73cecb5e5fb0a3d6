// NIfTIGeometry: the voxel-to-world affine of a NIfTI header by the usual rules (sform when
// sform_code > 0, else the qform quaternion with qfac from pixdim[0], else pixdim scaling), in
// the file's RAS world and in fgf's LPS world; and the quaternion of an affine, for writing.

import Foundation

/// Which header fields gave a volume its geometry.
public enum NIfTIAffineSource: String, Sendable, Equatable {
  /// srow_x/y/z (sform_code > 0).
  case sform
  /// The quaternion, offsets and pixdim (qform_code > 0).
  case qform
  /// pixdim only, origin at the first voxel (neither code set, or both unusable).
  case pixdim
}

enum NIfTIGeometry {
  /// The voxel-to-RAS affine of the stored array, the rule that gave it, and notes on fields
  /// that had to be ignored or repaired.
  static func storedAffine(_ header: NIfTIHeader) -> (affine: [Double], source: NIfTIAffineSource, notes: [String]) {
    var notes: [String] = []
    if header.sformCode > 0 {
      let rows = header.sformRows
      let affine = rows + [0, 0, 0, 1]
      if usable(affine) { return (affine, .sform, notes) }
      notes.append("sform_code is \(header.sformCode) but the sform is degenerate or not finite; it is ignored")
    }
    let spacing = repairedSpacing(header, notes: &notes)
    if header.qformCode > 0 {
      let qfac: Double = header.pixdim[0] < 0 ? -1 : 1
      let affine = quaternionAffine(header.quaternion, offset: header.quaternionOffset, spacing: spacing, qfac: qfac)
      if usable(affine) { return (affine, .qform, notes) }
      notes.append("qform_code is \(header.qformCode) but the quaternion is not finite; it is ignored")
    }
    let affine: [Double] = [spacing.x, 0, 0, 0, 0, spacing.y, 0, 0, 0, 0, spacing.z, 0, 0, 0, 0, 1]
    if header.sformCode <= 0 && header.qformCode <= 0 {
      notes.append("neither sform nor qform is set: orientation assumed RAS from pixdim, origin at the first voxel")
    }
    return (affine, .pixdim, notes)
  }

  /// pixdim[1...3] as spacings: the magnitude, with 0 or non-finite taken as 1 mm (with notes).
  private static func repairedSpacing(_ header: NIfTIHeader, notes: inout [String]) -> SIMD3<Double> {
    var spacing = SIMD3<Double>(1, 1, 1)
    for axis in 0..<3 {
      let stored = header.pixdim[axis + 1]
      let value = abs(stored)
      if value > 0 && value.isFinite {
        spacing[axis] = value
        if stored < 0 { notes.append("pixdim[\(axis + 1)] is \(stored); its magnitude is used") }
      } else {
        notes.append("pixdim[\(axis + 1)] is \(header.pixdim[axis + 1]); 1 mm is used")
      }
    }
    return spacing
  }

  /// A finite affine whose three axes are independent.
  private static func usable(_ affine: [Double]) -> Bool {
    guard affine.allSatisfy(\.isFinite) else { return false }
    let lengths = AffineMath.columnLengths(affine)
    let scale = lengths.x * lengths.y * lengths.z
    return scale > 0 && abs(AffineMath.determinant(affine)) > 1e-6 * scale
  }

  /// The NIfTI qform: rotation from the quaternion (b, c, d) with a = √(1 − b² − c² − d²)
  /// (a 180° turn when that is not positive), times diag(dx, dy, qfac·dz), plus the offset.
  static func quaternionAffine(_ q: SIMD3<Double>, offset: SIMD3<Double>, spacing: SIMD3<Double>,
                               qfac: Double) -> [Double] {
    var (b, c, d) = (q.x, q.y, q.z)
    var a = 1 - (b * b + c * c + d * d)
    if a < 1e-7 {
      let norm = (b * b + c * c + d * d).squareRoot()
      if norm > 0 { (b, c, d) = (b / norm, c / norm, d / norm) }
      a = 0
    } else {
      a = a.squareRoot()
    }
    let r: [Double] = [
      a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
      2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
      2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
    ]
    let scale = [spacing.x, spacing.y, spacing.z * qfac]
    var affine = [Double](repeating: 0, count: 16)
    for row in 0..<3 {
      for column in 0..<3 { affine[row * 4 + column] = r[row * 3 + column] * scale[column] }
    }
    affine[3] = offset.x; affine[7] = offset.y; affine[11] = offset.z
    affine[15] = 1
    return affine
  }

  /// The quaternion (b, c, d), qfac and spacing of an affine's linear part, for a qform that
  /// matches it: columns are normalised, the third negated when the frame is left-handed
  /// (qfac = −1), and the quaternion taken from the largest of its four squared components.
  /// Exact for rotations; for a sheared affine it is the rotation of the normalised columns.
  static func quaternion(of affine: [Double]) -> (quaternion: SIMD3<Double>, qfac: Double, spacing: SIMD3<Double>) {
    let spacing = AffineMath.columnLengths(affine)
    let qfac: Double = AffineMath.determinant(affine) < 0 ? -1 : 1
    var r = [Double](repeating: 0, count: 9)
    for row in 0..<3 {
      for column in 0..<3 {
        let length = spacing[column] > 0 ? spacing[column] : 1
        r[row * 3 + column] = affine[row * 4 + column] / length * (column == 2 ? qfac : 1)
      }
    }
    let trace = r[0] + r[4] + r[8]
    var (a, b, c, d): (Double, Double, Double, Double)
    let fourSquares = [1 + trace, 1 + r[0] - r[4] - r[8], 1 - r[0] + r[4] - r[8], 1 - r[0] - r[4] + r[8]]
    let largest = fourSquares.indices.max { fourSquares[$0] < fourSquares[$1] } ?? 0
    let root = 0.5 * max(fourSquares[largest], 0).squareRoot()
    let quarter = root > 0 ? 0.25 / root : 0
    switch largest {
    case 0:
      a = root; b = (r[7] - r[5]) * quarter; c = (r[2] - r[6]) * quarter; d = (r[3] - r[1]) * quarter
    case 1:
      b = root; a = (r[7] - r[5]) * quarter; c = (r[1] + r[3]) * quarter; d = (r[2] + r[6]) * quarter
    case 2:
      c = root; a = (r[2] - r[6]) * quarter; b = (r[1] + r[3]) * quarter; d = (r[5] + r[7]) * quarter
    default:
      d = root; a = (r[3] - r[1]) * quarter; b = (r[2] + r[6]) * quarter; c = (r[5] + r[7]) * quarter
    }
    if a < 0 { (b, c, d) = (-b, -c, -d) }  // NIfTI keeps a ≥ 0
    return (SIMD3(b, c, d), qfac, spacing)
  }

  /// RAS ↔ LPS: negate the first two world coordinates (the same matrix both ways).
  static func flipRASLPS(_ affine: [Double]) -> [Double] {
    var flipped = affine
    for column in 0..<4 {
      flipped[column] = -affine[column]
      flipped[4 + column] = -affine[4 + column]
    }
    return flipped
  }
}
