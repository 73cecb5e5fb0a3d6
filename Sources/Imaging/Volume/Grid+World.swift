// Grid+World: world (LPS millimetre) positions of voxels, through the grid's affine.

extension Grid {
  /// World position (LPS mm) of the voxel centre at indices (x, y, z), which may be fractional.
  public func world(x: Double, y: Double, z: Double) -> SIMD3<Double> {
    let a = affine
    return SIMD3(a[0] * x + a[1] * y + a[2] * z + a[3],
                 a[4] * x + a[5] * y + a[6] * z + a[7],
                 a[8] * x + a[9] * y + a[10] * z + a[11])
  }
}
