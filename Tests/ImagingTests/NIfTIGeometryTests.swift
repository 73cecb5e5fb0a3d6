// Tests of NIfTI geometry against affines computed by hand from the header rules: a qform with
// qfac = −1, a qform turned 90° about z, a permuting sform that outranks the qform, fallbacks
// from unusable transforms, and an oblique sform whose world positions must survive reorientation.
import Testing
import Common
import Imaging
import Foundation

@Suite struct NIfTIGeometryTests {
  /// Largest absolute difference between two affines.
  func distance(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
  }

  /// A 4×3×2 int16 file holding 0, 1, 2, … in stored order.
  func rampFile() -> NIfTITestFile {
    var file = NIfTITestFile()
    file.dim = [3, 4, 3, 2]
    return file
  }

  @Test func qformWithNegativeQfacFlipsTheThirdAxis() throws {
    let scratch = NIfTIScratch()
    var file = rampFile()
    file.pixdim = [-1, 0.5, 0.8, 2.5]
    file.qformCode = 1
    file.quaternionOffset = [10, -20, 30]
    let (info, volume) = try NIfTIFile.read(scratch.write("q.nii", file.singleFileBytes(nifTIRamp(24))))
    let f = { (x: Double) in Double(Float(x)) }  // header fields are float32
    // RAS: i → +x·0.5, j → +y·0.8, k → −z·2.5 (qfac −1), origin (10, −20, 30).
    #expect(distance(info.storedAffineRAS, [f(0.5), 0, 0, 10, 0, f(0.8), 0, -20, 0, 0, -2.5, 30, 0, 0, 0, 1]) == 0)
    #expect(info.affineSource == .qform && info.storedOrientation == "RAI")
    // Canonical: every axis flipped; origin at stored voxel (3, 2, 1) = LPS (−11.5, 18.4, 27.5).
    let expected: [Double] = [f(0.5), 0, 0, -10 - 3 * f(0.5), 0, f(0.8), 0, 20 - 2 * f(0.8), 0, 0, 2.5, 27.5, 0, 0, 0, 1]
    let difference = distance(info.grid.affine, expected)
    print("qform qfac −1: max affine difference \(difference)")
    #expect(difference < 1e-12)
    #expect(info.grid.spacing == SIMD3(f(0.5), f(0.8), 2.5))
    for z in 0..<2 { for y in 0..<3 { for x in 0..<4 {
      #expect(volume[x, y, z] == Float((3 - x) + 4 * (2 - y) + 12 * (1 - z)))
    } } }
  }

  @Test(arguments: [1, 2])
  func qformTurnedNinetyDegreesAboutZ(version: Int) throws {
    let scratch = NIfTIScratch()
    var file = rampFile()
    file.version = version
    file.pixdim = [1, 0.5, 0.8, 2.5]
    file.qformCode = 2
    file.quaternion = [0, 0, 0.5.squareRoot()]  // a = d = √½: rotation by 90° about z
    file.quaternionOffset = [1, 2, 3]
    let (info, volume) = try NIfTIFile.read(scratch.write("q90.nii", file.singleFileBytes(nifTIRamp(24))))
    // R = [[0, −1, 0], [1, 0, 0], [0, 0, 1]]: i → +y (anterior), j → −x (left), k → +z.
    let f = { (x: Double) in version == 1 ? Double(Float(x)) : x }  // NIfTI-1 fields are float32
    let ras: [Double] = [0, -f(0.8), 0, 1, f(0.5), 0, 0, 2, 0, 0, 2.5, 3, 0, 0, 0, 1]
    let rasDifference = distance(info.storedAffineRAS, ras)
    #expect(info.storedOrientation == "ALS")
    // Canonical x ← j, y ← i reversed, z ← k: nx 3, ny 4; origin at stored (3, 0, 0) = LPS (−1, −3.5, 3).
    #expect([info.grid.nx, info.grid.ny, info.grid.nz] as [Int] == [3, 4, 2])
    let canonical: [Double] = [f(0.8), 0, 0, -1, 0, f(0.5), 0, -2 - 3 * f(0.5), 0, 0, 2.5, 3, 0, 0, 0, 1]
    let difference = distance(info.grid.affine, canonical)
    print("qform 90° (NIfTI-\(version)): max difference \(rasDifference) (RAS), \(difference) (canonical)")
    #expect(rasDifference < (version == 1 ? 1e-6 : 1e-15))
    #expect(difference < (version == 1 ? 1e-6 : 1e-15))
    for z in 0..<2 { for y in 0..<4 { for x in 0..<3 {
      #expect(volume[x, y, z] == Float((3 - y) + 4 * x + 12 * z))
    } } }
  }

  @Test func sformOutranksQformAndPermutesAxes() throws {
    let scratch = NIfTIScratch()
    var file = rampFile()
    file.sformCode = 1
    // RAS: i → −y (posterior), j → −z·2 (inferior), k → +x·3 (right).
    file.sform = [0, 0, 3, -5, -1, 0, 0, 7, 0, -2, 0, 9]
    file.qformCode = 1
    file.quaternion = [0.3, 0.2, 0.1]  // a different orientation, to be ignored
    let (info, volume) = try NIfTIFile.read(scratch.write("s.nii", file.singleFileBytes(nifTIRamp(24))))
    #expect(info.affineSource == .sform && info.storedOrientation == "PIR")
    // Canonical x ← k reversed, y ← i, z ← j reversed; origin at stored (0, 2, 1) = LPS (2, −7, 5).
    #expect([info.grid.nx, info.grid.ny, info.grid.nz] as [Int] == [2, 4, 3])
    #expect(info.grid.affine == [3, 0, 0, 2, 0, 1, 0, -7, 0, 0, 2, 5, 0, 0, 0, 1])
    #expect(info.grid.spacing == SIMD3(3, 1, 2))
    for z in 0..<3 { for y in 0..<4 { for x in 0..<2 {
      #expect(volume[x, y, z] == Float(y + 4 * (2 - z) + 12 * (1 - x)))
    } } }
  }

  @Test func unusableTransformsFallBack() throws {
    let scratch = NIfTIScratch()
    var file = rampFile()
    file.pixdim = [1, 2, 3, 4]
    file.sformCode = 2
    file.sform = [Double](repeating: 0, count: 12)  // degenerate
    file.qformCode = 1                               // identity rotation
    var info = try NIfTIFile.readHeader(scratch.write("a.nii", file.singleFileBytes(nifTIRamp(24))))
    #expect(info.affineSource == .qform)
    #expect(info.notes.contains { $0.contains("sform is degenerate") })
    #expect(info.storedAffineRAS == [2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1])

    file.quaternion = [.nan, 0, 0]
    info = try NIfTIFile.readHeader(scratch.write("b.nii", file.singleFileBytes(nifTIRamp(24))))
    #expect(info.affineSource == .pixdim)
    #expect(info.notes.contains { $0.contains("quaternion is not finite") })
    #expect(info.storedAffineRAS == [2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1])
    // pixdim only: RAS → LPS flips x and y; origin at stored (3, 2, 0) = LPS (−6, −6, 0).
    #expect(info.grid.affine == [2, 0, 0, -6, 0, 3, 0, -6, 0, 0, 4, 0, 0, 0, 0, 1])
  }

  @Test func obliqueSformKeepsEveryVoxelsWorldPosition() throws {
    let scratch = NIfTIScratch()
    var file = rampFile()
    file.version = 2  // doubles, so the hand-built affine is stored exactly
    file.sformCode = 1
    let angle = 20.0 * .pi / 180
    let (c, s) = (0.7 * cos(angle), 0.7 * sin(angle))
    file.sform = [c, -s, 0, 12, s, c, 0, -8, 0, 0, 3, 40]
    let (info, volume) = try NIfTIFile.read(scratch.write("oblique.nii", file.singleFileBytes(nifTIRamp(24))))
    #expect(abs(info.obliquityDegrees - 20) < 1e-9)
    #expect(info.notes.contains { $0.hasPrefix("oblique by 20.0°") })
    #expect(info.storedOrientation == "RAS")
    let lps: [Double] = [-c, s, 0, -12, -s, -c, 0, 8, 0, 0, 3, 40]
    var largest = 0.0
    for z in 0..<2 { for y in 0..<3 { for x in 0..<4 {
      // The value names the stored voxel; its world position must be the canonical voxel's.
      let stored = Int(volume[x, y, z])
      let (i, j, k) = (Double(stored % 4), Double(stored / 4 % 3), Double(stored / 12))
      let world = SIMD3(lps[0] * i + lps[1] * j + lps[3], lps[4] * i + lps[5] * j + lps[7], lps[10] * k + lps[11])
      let canonical = info.grid.world(x: Double(x), y: Double(y), z: Double(z))
      largest = max(largest, (0..<3).map { abs(world[$0] - canonical[$0]) }.max() ?? 0)
    } } }
    print("oblique sform: max world difference after reorientation \(largest) mm")
    #expect(largest < 1e-12)
    #expect(abs(info.grid.spacing.x - 0.7) < 1e-15 && abs(info.grid.spacing.y - 0.7) < 1e-15)
  }
}
