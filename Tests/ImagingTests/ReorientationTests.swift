// Tests of Reorientation: for all 48 axis permutations and flips, with and without a small
// obliquity, the canonical array is LPS-ordered and every voxel keeps its world position.
import Testing
import Common
import Imaging
import Foundation

@Suite struct ReorientationTests {
  static let identity: [Double] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]

  /// A stored affine (LPS) whose axis i runs along world axis `world[i]` with sign `sign[i]`,
  /// spacing `spacing[i]`, turned by `tilt` radians about the world z axis, with an origin.
  func affine(world: [Int], sign: [Double], spacing: [Double], tilt: Double) -> [Double] {
    var m = [Double](repeating: 0, count: 16)
    for i in 0..<3 { m[world[i] * 4 + i] = sign[i] * spacing[i] }
    m[3] = -31.5; m[7] = 12.25; m[11] = 100; m[15] = 1
    let (c, s) = (cos(tilt), sin(tilt))
    let turn: [Double] = [c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    var product = [Double](repeating: 0, count: 16)
    for r in 0..<4 { for col in 0..<4 { for k in 0..<4 { product[r * 4 + col] += turn[r * 4 + k] * m[k * 4 + col] } } }
    return product
  }

  @Test func everySignedPermutationKeepsWorldPositions() {
    let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
    let dims = [5, 4, 3]
    let spacing = [0.8, 1.25, 3]
    var largest = 0.0
    var cases = 0
    for world in permutations {
      for signs in 0..<8 {
        for tilt in [0.0, 0.2] {
          let sign = (0..<3).map { signs >> $0 & 1 == 1 ? -1.0 : 1.0 }
          let stored = affine(world: world, sign: sign, spacing: spacing, tilt: tilt)
          let plan = Reorientation(storedDimensions: dims, affine: stored)
          let grid = plan.canonicalGrid(storedAffine: stored)
          // Canonical x, y, z run along stored axes with world[i] = x, y, z, never reversed toward R, A, I.
          for c in 0..<3 {
            #expect(world[plan.storedAxis[c]] == c)
            #expect(plan.flipped[c] == (sign[plan.storedAxis[c]] < 0))
            #expect(grid.affine[c * 4 + c] > 0)
            #expect(abs(grid.spacing[c] - spacing[plan.storedAxis[c]]) < 1e-12)
          }
          #expect(plan.isIdentity == (world == [0, 1, 2] && signs == 0))
          let values = plan.apply(Array(0..<60))
          #expect(values.sorted() == Array(0..<60))
          for z in 0..<grid.nz { for y in 0..<grid.ny { for x in 0..<grid.nx {
            let s = values[grid.index(x: x, y: y, z: z)]
            let (i, j, k) = (Double(s % 5), Double(s / 5 % 4), Double(s / 20))
            let expected = (0..<3).map { stored[$0 * 4] * i + stored[$0 * 4 + 1] * j + stored[$0 * 4 + 2] * k + stored[$0 * 4 + 3] }
            let actual = grid.world(x: Double(x), y: Double(y), z: Double(z))
            for axis in 0..<3 { largest = max(largest, abs(expected[axis] - actual[axis])) }
          } } }
          cases += 1
        }
      }
    }
    print("reorientation: \(cases) cases, max world difference \(largest) mm")
    #expect(cases == 96)
    #expect(largest < 1e-12)
  }

  @Test func namesStoredAxesByTheirNearestPatientDirection() {
    let ras: [Double] = [-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]  // RAS array in LPS world
    #expect(Reorientation(storedDimensions: [2, 2, 2], affine: ras).storedAxisCodes == "RAS")
    #expect(Reorientation(storedDimensions: [2, 2, 2], affine: Self.identity).storedAxisCodes == "LPS")
    // Axial slices stacked downward, rows anterior-ward: i → L, j → A, k → I.
    let odd: [Double] = [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1]
    #expect(Reorientation(storedDimensions: [2, 2, 2], affine: odd).storedAxisCodes == "LAI")
  }

  @Test func canonicalVolumesAndMasksFromStoredArrays() {
    // A DICOM-like series: rows run anterior-ward (−y), slices stored from head to feet (−z).
    let affine: [Double] = [0.5, 0, 0, -100, 0, -0.5, 0, 80, 0, 0, -3, 60, 0, 0, 0, 1]
    let stored = (0..<24).map { Float($0) }
    let volume = Volume(canonicalizing: stored, storedDimensions: [4, 3, 2], affine: affine)
    #expect(volume.grid.affine == [0.5, 0, 0, -100, 0, 0.5, 0, 79, 0, 0, 3, 57, 0, 0, 0, 1])
    #expect(volume.grid.spacing == SIMD3(0.5, 0.5, 3))
    // Canonical (x, y, z) is stored (x, 2 − y, 1 − z).
    #expect(volume[1, 0, 0] == Float(1 + 4 * 2 + 12 * 1))
    #expect(volume[3, 2, 1] == 3)
    let mask = Mask(canonicalizing: stored.map { UInt8($0) }, storedDimensions: [4, 3, 2], affine: affine)
    #expect(mask.grid == volume.grid && mask.voxels == volume.voxels.map { UInt8($0) })
  }

  @Test func identityLeavesArraysAlone() {
    let plan = Reorientation(storedDimensions: [3, 2, 1], affine: Self.identity)
    #expect(plan.isIdentity && plan.apply([1, 2, 3, 4, 5, 6]) == [1, 2, 3, 4, 5, 6])
    #expect(plan.canonicalAffine(Self.identity) == Self.identity)
  }
}
