// Tests of NIfTIFile.decode, the reader of NIfTI bytes held in memory: the same header, volume and
// errors as reading a file holding the bytes, for plain and gzip files, and .hdr headers refused.
import Testing
import Common
import Imaging

@Suite struct NIfTIDecodeTests {
  func files() throws -> [(name: String, bytes: [UInt8])] {
    let scratch = NIfTIScratch()
    let grid = Grid(nx: 5, ny: 4, nz: 3, spacing: SIMD3(0.5, 0.75, 3),
                    affine: [0, 0.75, 0, 4, -0.5, 0, 0, 8, 0, 0, 3, -12, 0, 0, 0, 1])
    let ramp = (0..<grid.voxelCount).map { Float($0 * 37 % 400) - 200 }
    var out: [(String, [UInt8])] = []
    for (name, volume) in [("int16", Volume(grid: grid, voxels: ramp)), ("float32", Volume(grid: grid, voxels: ramp.map { $0 / 7 }))] {
      for suffix in [".nii", ".nii.gz"] {
        let path = scratch.file(name + suffix)
        try NIfTIFile.write(volume, to: path)
        out.append((name + suffix, try FileIO.read(path)))
      }
    }
    var four = NIfTITestFile()
    four.dim = [4, 4, 3, 2, 3]
    out.append(("4d.nii", four.singleFileBytes(nifTIRamp(72))))
    out.append(("4d.nii.gz", Gzip.compress(four.singleFileBytes(nifTIRamp(72)))))
    return out
  }

  @Test func decodeGivesWhatReadingTheFileGives() throws {
    let scratch = NIfTIScratch()
    for (name, bytes) in try files() {
      let path = scratch.write(name, bytes)
      let fromFile = try NIfTIFile.read(path)
      let fromMemory = try NIfTIFile.decode(bytes, path: path)
      #expect(fromMemory.header == fromFile.header, "\(name)")
      #expect(fromMemory.volume == fromFile.volume, "\(name)")
      #expect(try NIfTIFile.decodeHeader(bytes, path: path) == NIfTIFile.readHeader(path), "\(name)")
    }
  }

  @Test func damagedBytesGiveTheFileReadersErrors() throws {
    let scratch = NIfTIScratch()
    for (name, bytes) in try files() {
      // Cuts into bytes the reader needs. It reads the first volume of a 4-D file only, and stops
      // decompressing once it has the bytes it needs, so a 4-D file cut after its first volume, or
      // a .nii.gz cut inside its 8-byte gzip trailer, still reads (Docs/FUZZING.md).
      var cuts = [Array(bytes.prefix(bytes.count / 2)), [UInt8](bytes.prefix(2))]
      if !name.hasSuffix(".gz") { cuts.append(Array(bytes.prefix(300))) }
      if name == "int16.nii" || name == "float32.nii" { cuts.append(Array(bytes.dropLast(7))) }
      for damaged in cuts {
        let path = scratch.write(name, damaged)
        let fileError = #expect(throws: FileError.self) { try NIfTIFile.read(path) }
        let memoryError = #expect(throws: FileError.self) { try NIfTIFile.decode(damaged, path: path) }
        #expect(memoryError == fileError, "\(name), \(damaged.count) bytes")
      }
    }
  }

  @Test func aHeaderOfAPairIsRefused() {
    var pair = NIfTITestFile()
    pair.singleFile = false
    let error = #expect(throws: FileError.self) { try NIfTIFile.decode(pair.header() + [0, 0, 0, 0] + pair.data(nifTIRamp(24)), path: "p.hdr") }
    #expect(error?.problem.contains("separate .img") == true, "\(error?.description ?? "")")
  }
}
