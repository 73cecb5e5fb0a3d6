// Reorientation: how a voxel array stored in any axis order and direction maps onto fgf's
// canonical LPS array ([z][y][x], x toward Left, y Posterior, z Superior), by the axis
// permutation and flips nearest to its voxel-to-world affine. The canonical array gets the affine
// that gives every voxel the same world position it had, so oblique volumes stay exact in world
// space; only the array's axis order is snapped to the nearest patient axes.

/// An axis permutation and flips taking a stored voxel array to the canonical LPS array.
public struct Reorientation: Sendable, Equatable {
  /// Voxel counts of the stored array along its axes 0, 1, 2 (axis 0 varies fastest in memory).
  public let storedDimensions: [Int]
  /// For canonical x, y, z: the stored axis (0, 1 or 2) it runs along.
  public let storedAxis: [Int]
  /// For canonical x, y, z: whether it runs opposite to that stored axis.
  public let flipped: [Bool]

  /// The nearest reorientation for a stored array of `storedDimensions` whose voxel-to-world
  /// affine (LPS millimetres, row-major 4×4) is `affine`: the axis permutation maximising the
  /// summed |cosine| between each stored axis and the patient axis it is assigned to (ties go to
  /// the first permutation in the order xyz, xzy, yxz, yzx, zxy, zyx), then a flip of every axis
  /// that points away from L, P or S.
  public init(storedDimensions: [Int], affine: [Double]) {
    precondition(storedDimensions.count == 3 && affine.count == 16, "three dimensions and a 4×4 affine")
    self.storedDimensions = storedDimensions
    // cosines[i][w]: cosine between stored axis i and world axis w.
    let cosines: [[Double]] = (0..<3).map { i in
      let column = (0..<3).map { affine[$0 * 4 + i] }
      let norm = column.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return norm > 0 ? column.map { $0 / norm } : [0, 0, 0]
    }
    // worldOf[i]: the world axis stored axis i is assigned to.
    let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
    var best = permutations[0]
    var bestScore = -1.0
    for worldOf in permutations {
      let score = (0..<3).reduce(0.0) { $0 + abs(cosines[$1][worldOf[$1]]) }
      if score > bestScore { (best, bestScore) = (worldOf, score) }
    }
    var storedAxis = [0, 0, 0], flipped = [false, false, false]
    for i in 0..<3 {
      storedAxis[best[i]] = i
      flipped[best[i]] = cosines[i][best[i]] < 0
    }
    self.storedAxis = storedAxis
    self.flipped = flipped
  }

  /// Voxel counts of the canonical array along x, y, z.
  public var canonicalDimensions: [Int] { storedAxis.map { storedDimensions[$0] } }

  /// True when the stored array already is canonical.
  public var isIdentity: Bool { storedAxis == [0, 1, 2] && flipped == [false, false, false] }

  /// The affine of the canonical array: `storedAffine` composed with the map from canonical to
  /// stored indices, so each voxel keeps its world position.
  public func canonicalAffine(_ storedAffine: [Double]) -> [Double] {
    // stored index i = flipped ? n − 1 − c : c along the canonical axis c that runs along i.
    var map = [Double](repeating: 0, count: 16)
    map[15] = 1
    for c in 0..<3 {
      let i = storedAxis[c]
      map[i * 4 + c] = flipped[c] ? -1 : 1
      if flipped[c] { map[i * 4 + 3] = Double(storedDimensions[i] - 1) }
    }
    // Adding 0 turns any −0 into +0, so printed affines show no "-0.0".
    return AffineMath.multiply(storedAffine, map).map { $0 + 0 }
  }

  /// The canonical grid of a stored array with affine `storedAffine` (LPS): dimensions, affine,
  /// and spacing as the lengths of the affine's columns.
  public func canonicalGrid(storedAffine: [Double]) -> Grid {
    let affine = canonicalAffine(storedAffine)
    let dims = canonicalDimensions
    return Grid(nx: dims[0], ny: dims[1], nz: dims[2], spacing: AffineMath.columnLengths(affine),
                affine: affine)
  }

  /// The stored voxels (axis 0 fastest) rearranged into the canonical [z][y][x] order.
  public func apply<Element>(_ stored: [Element]) -> [Element] {
    let n = storedDimensions
    precondition(stored.count == n[0] * n[1] * n[2], "voxel count does not match the dimensions")
    if isIdentity { return stored }
    let strides = [1, n[0], n[0] * n[1]]
    let dims = canonicalDimensions
    // For each canonical axis: the stored step per canonical step, and the stored start.
    var step = [0, 0, 0], start = 0
    for c in 0..<3 {
      let i = storedAxis[c]
      step[c] = flipped[c] ? -strides[i] : strides[i]
      if flipped[c] { start += (n[i] - 1) * strides[i] }
    }
    return stored.withUnsafeBufferPointer { source in
      [Element](unsafeUninitializedCapacity: stored.count) { out, initialized in
        var target = 0
        var zBase = start
        for _ in 0..<dims[2] {
          var yBase = zBase
          for _ in 0..<dims[1] {
            var at = yBase
            for _ in 0..<dims[0] {
              (out.baseAddress! + target).initialize(to: source[at])
              target += 1
              at += step[0]
            }
            yBase += step[1]
          }
          zBase += step[2]
        }
        initialized = target
      }
    }
  }

  /// Letters naming where each stored axis points (toward increasing index): L or R, P or A,
  /// S or I, by the nearest patient axes found above. The canonical array is "LPS"; a typical
  /// NIfTI stored in RAS order is "RAS".
  public var storedAxisCodes: String {
    let letters: [(Character, Character)] = [("L", "R"), ("P", "A"), ("S", "I")]
    return String((0..<3).map { i -> Character in
      let c = storedAxis.firstIndex(of: i) ?? 0
      return flipped[c] ? letters[c].1 : letters[c].0
    })
  }
}
