// Volume+Reorient: canonical volumes and masks from arrays stored in any axis order (a DICOM
// series sorted by position, a NIfTI array), given the stored voxel-to-LPS affine.

extension Volume {
  /// The canonical volume of `voxels` stored with axis 0 fastest along `storedDimensions`, whose
  /// voxel-to-world affine (LPS mm, row-major 4×4) is `affine`: reoriented to the nearest patient
  /// axes, every voxel keeping its world position (see `Reorientation`).
  public init(canonicalizing voxels: [Float], storedDimensions: [Int], affine: [Double]) {
    let plan = Reorientation(storedDimensions: storedDimensions, affine: affine)
    self.init(grid: plan.canonicalGrid(storedAffine: affine), voxels: plan.apply(voxels))
  }
}

extension Mask {
  /// The canonical mask of `voxels` stored with axis 0 fastest along `storedDimensions`, whose
  /// voxel-to-world affine (LPS mm, row-major 4×4) is `affine` (see `Volume.init(canonicalizing:)`).
  public init(canonicalizing voxels: [UInt8], storedDimensions: [Int], affine: [Double]) {
    let plan = Reorientation(storedDimensions: storedDimensions, affine: affine)
    self.init(grid: plan.canonicalGrid(storedAffine: affine), voxels: plan.apply(voxels))
  }
}
