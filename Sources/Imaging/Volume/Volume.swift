// Volume, Mask and their shared Grid: 3-D arrays indexed [z][y][x] in the canonical orientation
// every part of fgf uses (see Grid), with voxel spacing and the voxel-to-world affine.

/// Geometry of a 3-D voxel array in fgf's canonical orientation.
///
/// Canonical orientation is LPS, the DICOM patient system: x grows toward the patient's Left,
/// y toward Posterior, z toward Superior. Drawn with x to the right and y downward, this is the
/// radiological view (patient's right on screen left, anterior up). Readers reorient to it.
public struct Grid: Sendable, Equatable {
  /// Voxel counts along x, y, z.
  public var nx: Int, ny: Int, nz: Int
  /// Voxel spacing in mm along x, y, z (all > 0).
  public var spacing: SIMD3<Double>
  /// Voxel-to-world affine in LPS millimetres, row-major 4×4 (last row 0 0 0 1):
  /// world = A · (x, y, z, 1) for voxel indices x, y, z of the canonical array.
  public var affine: [Double]

  public init(nx: Int, ny: Int, nz: Int, spacing: SIMD3<Double>, affine: [Double]? = nil) {
    precondition(affine == nil || affine?.count == 16, "affine must have 16 entries")
    self.nx = nx; self.ny = ny; self.nz = nz
    self.spacing = spacing
    self.affine = affine ?? [spacing.x, 0, 0, 0,
                             0, spacing.y, 0, 0,
                             0, 0, spacing.z, 0,
                             0, 0, 0, 1]
  }

  /// Voxels in one axial slice.
  public var sliceCount: Int { nx * ny }
  /// Voxels in the whole grid.
  public var voxelCount: Int { nx * ny * nz }
  /// Flat index of voxel (x, y, z) in [z][y][x] order.
  @inline(__always) public func index(x: Int, y: Int, z: Int) -> Int { (z * ny + y) * nx + x }
}

/// A CT (or any scalar) volume: HU after the file's scaling, [z][y][x] on `grid`.
public struct Volume: Sendable, Equatable {
  public var grid: Grid
  public var voxels: [Float]

  public init(grid: Grid, voxels: [Float]) {
    precondition(voxels.count == grid.voxelCount, "voxel count does not match the grid")
    self.grid = grid
    self.voxels = voxels
  }

  @inline(__always) public subscript(x: Int, y: Int, z: Int) -> Float {
    get { voxels[grid.index(x: x, y: y, z: z)] }
    set { voxels[grid.index(x: x, y: y, z: z)] = newValue }
  }
}

/// A binary mask (GTV): 1 inside, 0 outside, [z][y][x] on `grid`.
public struct Mask: Sendable, Equatable {
  public var grid: Grid
  public var voxels: [UInt8]

  public init(grid: Grid, voxels: [UInt8]) {
    precondition(voxels.count == grid.voxelCount, "voxel count does not match the grid")
    self.grid = grid
    self.voxels = voxels
  }

  @inline(__always) public subscript(x: Int, y: Int, z: Int) -> UInt8 {
    get { voxels[grid.index(x: x, y: y, z: z)] }
    set { voxels[grid.index(x: x, y: y, z: z)] = newValue }
  }
}
