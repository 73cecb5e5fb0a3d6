// Tests of the canonical voxel grid.
import Testing
import Imaging

@Suite struct GridTests {
  @Test func indexIsZYXRowMajor() {
    let grid = Grid(nx: 4, ny: 3, nz: 2, spacing: SIMD3(1, 1, 3))
    #expect(grid.index(x: 1, y: 2, z: 1) == (1 * 3 + 2) * 4 + 1)
    #expect(grid.voxelCount == 24)
    #expect(grid.affine[10] == 3)
  }
}
