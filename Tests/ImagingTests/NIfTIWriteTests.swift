// Tests of the NIfTI writer: read(write(v)) == v exactly (values and grid) for CT-like int16,
// float32 and uint8 masks; the type choice; qform agreeing with sform; atomic replacement.
import Testing
import Common
import Imaging
import Foundation

@Suite struct NIfTIWriteTests {
  /// A CT-like canonical grid: 0.9765625 mm pixels, 3 mm slices, a half-millimetre origin.
  let grid = Grid(nx: 7, ny: 5, nz: 3, spacing: SIMD3(0.9765625, 0.9765625, 3),
                  affine: [0.9765625, 0, 0, -250, 0, 0.9765625, 0, -180.5, 0, 0, 3, -100.25, 0, 0, 0, 1])

  func ct() -> Volume {
    var random = SeededRandom(seed: 7)
    return Volume(grid: grid, voxels: (0..<grid.voxelCount).map { _ in Float(random.index(4024)) - 1024 })
  }

  @Test func integralVolumesRoundTripAsInt16() throws {
    let scratch = NIfTIScratch()
    let volume = ct()
    for name in ["ct.nii.gz", "ct.nii"] {
      let path = scratch.file(name)
      try NIfTIFile.write(volume, to: path)
      let (info, back) = try NIfTIFile.read(path)
      #expect(back == volume)
      #expect(info.datatype == "int16" && info.version == 1 && info.littleEndian)
      #expect(info.affineSource == .sform && info.storedOrientation == "LPS" && info.notes.isEmpty)
      #expect(info.descrip == "fgf")
      #expect(Gzip.isGzip(try FileIO.read(path, offset: 0, count: 2)) == name.hasSuffix(".gz"))
    }
    // int16 is half the size of float32 before compression.
    #expect(try FileIO.size(of: scratch.file("ct.nii")) == 352 + 2 * grid.voxelCount)
  }

  @Test func otherValuesRoundTripAsFloat32BitForBit() throws {
    let scratch = NIfTIScratch()
    var volume = ct()
    volume.voxels[0] = 0.5
    volume.voxels[1] = .nan
    volume.voxels[2] = -.infinity
    volume.voxels[3] = -0.0
    volume.voxels[4] = Float(bitPattern: 0x0000_1234)  // subnormal
    let path = scratch.file("f.nii.gz")
    try NIfTIFile.write(volume, to: path)
    let (info, back) = try NIfTIFile.read(path)
    #expect(info.datatype == "float32")
    #expect(back.voxels.map(\.bitPattern) == volume.voxels.map(\.bitPattern))
    #expect(back.grid == volume.grid)
  }

  @Test func typeChoiceFollowsTheValues() throws {
    let scratch = NIfTIScratch()
    let small = Grid(nx: 2, ny: 1, nz: 1, spacing: SIMD3(1, 1, 1))
    let cases: [([Float], String)] = [
      ([-32768, 32767], "int16"), ([0, 32768], "float32"), ([-32769, 0], "float32"),
      ([-0.0, 1], "float32"), ([0, 1.5], "float32"), ([0, .nan], "float32"),
    ]
    for (values, type) in cases {
      let path = scratch.file("t.nii.gz")
      try NIfTIFile.write(Volume(grid: small, voxels: values), to: path)
      let (info, back) = try NIfTIFile.read(path)
      #expect(info.datatype == type, "\(values)")
      #expect(back.voxels.map(\.bitPattern) == values.map(\.bitPattern))
    }
  }

  @Test func masksRoundTripAsUInt8() throws {
    let scratch = NIfTIScratch()
    var random = SeededRandom(seed: 3)
    let mask = Mask(grid: grid, voxels: (0..<grid.voxelCount).map { _ in UInt8(random.index(3)) })
    let path = scratch.file("gtv.nii.gz")
    try NIfTIFile.write(mask, to: path)
    #expect(try NIfTIFile.readHeader(path).datatype == "uint8")
    #expect(try NIfTIFile.readLabelMap(path, label: 2).voxels == mask.voxels.map { $0 == 2 ? 1 : 0 })
    let binary = Mask(grid: grid, voxels: mask.voxels.map { $0 > 0 ? 1 : 0 })
    try NIfTIFile.write(binary, to: path)
    #expect(try NIfTIFile.readMask(path) == binary)
  }

  /// Reads `path` (written by fgf) with its sform switched off, so the qform gives the geometry.
  func qformGrid(_ path: String, scratch: NIfTIScratch) throws -> Grid {
    var bytes = try Gzip.decompress(FileIO.read(path), limit: 1 << 24, path: path)
    bytes[254] = 0; bytes[255] = 0  // sform_code = 0
    let copy = scratch.write("qform-only.nii", bytes)
    let info = try NIfTIFile.readHeader(copy)
    #expect(info.affineSource == .qform)
    return info.grid
  }

  @Test func qformAgreesWithSform() throws {
    let scratch = NIfTIScratch()
    // Canonical, oblique (turned 10° about x, then 25° about z), and a left-handed affine.
    let (a, b) = (10.0 * .pi / 180, 25.0 * .pi / 180)
    let turnX: [Double] = [1, 0, 0, 0, 0, cos(a), -sin(a), 0, 0, sin(a), cos(a), 0, 0, 0, 0, 1]
    let turnZ: [Double] = [cos(b), -sin(b), 0, 0, sin(b), cos(b), 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    let scale: [Double] = [0.9, 0, 0, 5, 0, 1.1, 0, -7, 0, 0, 2.5, 30, 0, 0, 0, 1]
    let oblique = multiply(turnZ, multiply(turnX, scale))
    let leftHanded: [Double] = [0.9, 0, 0, 5, 0, 1.1, 0, -7, 0, 0, -2.5, 30, 0, 0, 0, 1]
    var largest = 0.0
    for affine in [grid.affine, oblique, leftHanded] {
      let g = Grid(nx: 4, ny: 3, nz: 2, spacing: SIMD3(1, 1, 1), affine: affine)
      let path = scratch.file("g.nii.gz")
      try NIfTIFile.write(Mask(grid: g, voxels: [UInt8](repeating: 1, count: 24)), to: path)
      let fromSform = try NIfTIFile.readHeader(path).grid
      let fromQform = try qformGrid(path, scratch: scratch)
      #expect(fromSform.nx == fromQform.nx && fromSform.ny == fromQform.ny)
      largest = max(largest, zip(fromSform.affine, fromQform.affine).map { abs($0 - $1) }.max() ?? .infinity)
      // World positions survive writing and reading (float32 fields: ~1e-5 mm here): the
      // canonical first voxel is one of the stored grid's corners.
      let corner = fromSform.world(x: 0, y: 0, z: 0)
      let corners: [SIMD3<Double>] = [(0, 0, 0), (3, 0, 0), (0, 2, 0), (0, 0, 1), (3, 2, 1)].map { (x: Double, y: Double, z: Double) in
        world(affine, x, y, z)
      }
      #expect(corners.contains { distance($0, corner) < 1e-4 })
    }
    print("written qform vs sform: max affine difference \(largest)")
    #expect(largest < 1e-5)
  }

  @Test func writesAtomicallyAndRefusesOtherNames() throws {
    let scratch = NIfTIScratch()
    let path = scratch.file("ct.nii.gz")
    try NIfTIFile.write(ct(), to: path)
    var changed = ct()
    changed.voxels[0] = 2000
    try NIfTIFile.write(changed, to: path)
    #expect(try NIfTIFile.readVolume(path).voxels[0] == 2000)
    let names: [String] = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
    #expect(names == ["ct.nii.gz"])
    #expect(throws: FileError.self) { try NIfTIFile.write(ct(), to: scratch.file("ct.img")) }
    let wide = Grid(nx: 40_000, ny: 1, nz: 1, spacing: SIMD3(1, 1, 1))
    #expect(throws: FileError.self) {
      try NIfTIFile.write(Mask(grid: wide, voxels: [UInt8](repeating: 0, count: 40_000)), to: scratch.file("w.nii.gz"))
    }
  }

  func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
    var product = [Double](repeating: 0, count: 16)
    for row in 0..<4 { for column in 0..<4 { for k in 0..<4 { product[row * 4 + column] += a[row * 4 + k] * b[k * 4 + column] } } }
    return product
  }

  func world(_ a: [Double], _ x: Double, _ y: Double, _ z: Double) -> SIMD3<Double> {
    SIMD3(a[0] * x + a[1] * y + a[2] * z + a[3], a[4] * x + a[5] * y + a[6] * z + a[7], a[8] * x + a[9] * y + a[10] * z + a[11])
  }

  func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    max(abs(a.x - b.x), abs(a.y - b.y), abs(a.z - b.z))
  }
}
