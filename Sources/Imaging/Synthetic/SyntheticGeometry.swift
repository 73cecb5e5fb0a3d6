// SyntheticGeometry: the voxel grid every synthetic volume shares (160 × 160 × 28 voxels of
// 1 × 1 × 3 mm, canonical LPS) and the map from image millimetres to world coordinates.

enum SyntheticGeometry {
  static let nx = 160, ny = 160, nz = 28
  static let spacing = SIMD3<Double>(1, 1, 3)
  /// World (LPS mm) = image mm + offset: the volume is centred on the world origin.
  static let offset = SIMD3<Double>(-Double(nx - 1) / 2 * spacing.x, -Double(ny - 1) / 2 * spacing.y,
                                    -Double(nz - 1) / 2 * spacing.z)

  static let grid = Grid(nx: nx, ny: ny, nz: nz, spacing: spacing,
                         affine: [spacing.x, 0, 0, offset.x,
                                  0, spacing.y, 0, offset.y,
                                  0, 0, spacing.z, offset.z,
                                  0, 0, 0, 1])

  /// Height of the top slice centre above the bottom one (mm).
  static var height: Double { Double(nz - 1) * spacing.z }

  /// World LPS coordinates of a point given in image millimetres (index × spacing).
  static func world(_ point: SIMD3<Double>) -> SIMD3<Double> { point + offset }
}
