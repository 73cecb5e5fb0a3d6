// FeatureInput: what interpretable features are computed on (DESIGN §5): the 3×64×64 model input
// x, the GTV mask crop M and the slice thickness. Engine's own copy of the layout, since Engine
// does not depend on Imaging (Pipeline converts a ModelInput into one).

/// The model input of one patient as features see it. Arrays are flat, [c][y][x], c = 0…2 (slices
/// z*−1, z*, z*+1), y and x = 0…63; index = (c · 64 + y) · 64 + x.
public struct FeatureInput: Sendable, Equatable {
  public static let channels = 3
  public static let side = 64
  /// Elements per channel (64 · 64).
  public static let plane = side * side
  /// Elements of x, of the mask and of every feature gradient (3 · 64 · 64 = 12288).
  public static let count = channels * plane
  /// The centre channel (slice z*), where the in-plane shape and position features are measured.
  public static let centreChannel = 1

  /// Normalised intensities, x = (clamp(HU, −160, 240) − 40) / 200.
  public var x: [Float]
  /// GTV mask crop; a voxel belongs to M when its value is ≥ 0.5 (masks are 0/1; soft masks are cut at ½).
  public var mask: [Float]
  /// Slice thickness s_z in mm (1 for tensors given directly; no alignment depends on it).
  public var sliceThickness: Double

  /// Wraps an input; both arrays must hold `FeatureInput.count` values (a programming error otherwise:
  /// readers check tensor shapes before building one).
  public init(x: [Float], mask: [Float], sliceThickness: Double = 1) {
    precondition(x.count == FeatureInput.count && mask.count == FeatureInput.count,
                 "a feature input is 3×64×64 (got x \(x.count), mask \(mask.count))")
    self.x = x
    self.mask = mask
    self.sliceThickness = sliceThickness
  }

  /// Flat index of channel `c`, row `y`, column `x`.
  @inline(__always) public static func index(c: Int, y: Int, x: Int) -> Int { (c * side + y) * side + x }
}
