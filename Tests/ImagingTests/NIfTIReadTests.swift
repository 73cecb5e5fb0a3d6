// Tests of NIfTI reading: every datatype in both byte orders, NIfTI-2, scaling, .hdr/.img pairs,
// gzip (multi-member too), extensions, 4-D and 2-D files, masks and label maps. Files are built
// byte by byte (NIfTITestFile), independently of the production writer.
import Testing
import Common
import Imaging

@Suite struct NIfTIReadTests {
  /// A file whose stored array already is canonical: RAS sform diag(−1, −1, 1) is LPS identity.
  func canonicalFile(datatype: Int, littleEndian: Bool = true, version: Int = 1) -> NIfTITestFile {
    var file = NIfTITestFile()
    file.version = version
    file.littleEndian = littleEndian
    file.datatype = datatype
    file.sformCode = 1
    file.sform = [-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0]
    return file
  }

  /// Values exactly representable in each datatype (24 voxels), spanning its range.
  func values(for datatype: Int) -> [Double] {
    let ramp = nifTIRamp(24)
    switch datatype {
    case 2: return ramp.map { $0 * 11 }                          // 0 … 253
    case 256: return ramp.map { $0 * 11 - 128 }                  // −128 … 125
    case 4: return ramp.map { $0 * 2849 - 32768 }                // −32768 … 32759
    case 512: return ramp.map { $0 * 2849 }                      // 0 … 65527
    case 8: return ramp.map { $0 * 1e8 - 2_147_483_648 }         // exact in Float: multiples of 256
    case 768: return ramp.map { $0 * 1.5e8 + 256 }
    case 1024: return ramp.map { $0 * 3e17 - 4e18 }              // huge but Float-exact after rounding
    case 1280: return ramp.map { $0 * 7e17 }
    case 16: return ramp.map { $0 * 0.25 - 3 }
    default: return ramp.map { $0 * 0.1 - 1 }                    // float64: rounded to Float on read
    }
  }

  @Test(arguments: [2, 256, 4, 512, 8, 768, 1024, 1280, 16, 64])
  func readsEveryDatatypeInBothByteOrders(datatype: Int) throws {
    let scratch = NIfTIScratch()
    for littleEndian in [true, false] {
      for version in [1, 2] {
        let file = canonicalFile(datatype: datatype, littleEndian: littleEndian, version: version)
        let expected = values(for: datatype)
        let path = scratch.write("v\(version)\(littleEndian).nii", file.singleFileBytes(expected))
        let (info, volume) = try NIfTIFile.read(path)
        #expect(volume.voxels == expected.map { Float($0) }, "datatype \(datatype), little endian \(littleEndian), v\(version)")
        #expect(info.version == version && info.littleEndian == littleEndian)
        #expect(info.grid == Grid(nx: 4, ny: 3, nz: 2, spacing: SIMD3(1, 1, 1)))
        #expect(info.storedOrientation == "LPS" && info.affineSource == .sform && info.notes.isEmpty)
      }
    }
  }

  @Test func datatypeNamesAreReported() throws {
    let scratch = NIfTIScratch()
    let names = [2: "uint8", 256: "int8", 4: "int16", 512: "uint16", 8: "int32", 768: "uint32",
                 1024: "int64", 1280: "uint64", 16: "float32", 64: "float64"]
    for (code, name) in names {
      let path = scratch.write("\(code).nii", canonicalFile(datatype: code).singleFileBytes(values(for: code)))
      #expect(try NIfTIFile.readHeader(path).datatype == name)
    }
  }

  @Test func appliesScaling() throws {
    let scratch = NIfTIScratch()
    var file = canonicalFile(datatype: 4)
    let stored = nifTIRamp(24, scale: 100)
    file.slope = 0.5
    file.intercept = -1024
    let path = scratch.write("scaled.nii", file.singleFileBytes(stored))
    #expect(try NIfTIFile.readVolume(path).voxels == stored.map { Float($0 * 0.5 - 1024) })
    let info = try NIfTIFile.readHeader(path)
    #expect(info.slope == 0.5 && info.intercept == -1024)

    // Slope 0 or not finite means no scaling, whatever the intercept.
    for slope in [0, Double.nan, .infinity] {
      file.slope = slope
      let unscaled = scratch.write("unscaled.nii", file.singleFileBytes(stored))
      #expect(try NIfTIFile.readVolume(unscaled).voxels == stored.map { Float($0) })
    }
    // A valid slope with a non-finite intercept: intercept 0.
    file.slope = 2
    file.intercept = .nan
    let halfScaled = scratch.write("half.nii", file.singleFileBytes(stored))
    #expect(try NIfTIFile.readVolume(halfScaled).voxels == stored.map { Float($0 * 2) })
  }

  @Test func readsHeaderAndImagePairs() throws {
    let scratch = NIfTIScratch()
    for version in [1, 2] {
      var file = canonicalFile(datatype: 512, version: version)
      file.singleFile = false
      let expected = values(for: 512)
      scratch.write("pair\(version).hdr", file.header() + [0, 0, 0, 0])
      scratch.write("pair\(version).img", file.data(expected))
      #expect(try NIfTIFile.readVolume(scratch.file("pair\(version).hdr")).voxels == expected.map { Float($0) })
      // Naming the .img finds the header beside it.
      #expect(try NIfTIFile.readVolume(scratch.file("pair\(version).img")).voxels == expected.map { Float($0) })
      // Compressed halves.
      scratch.write("gz\(version).hdr.gz", Gzip.compress(file.header()))
      scratch.write("gz\(version).img.gz", Gzip.compress(file.data(expected)))
      let info = try NIfTIFile.readHeader(scratch.file("gz\(version).hdr.gz"))
      #expect(info.dataPath == scratch.file("gz\(version).img.gz") && info.dataCompressed)
      #expect(try NIfTIFile.readVolume(scratch.file("gz\(version).hdr.gz")).voxels == expected.map { Float($0) })
    }
  }

  @Test func readsGzipIncludingMultiMemberStreams() throws {
    let scratch = NIfTIScratch()
    for version in [1, 2] {
      let file = canonicalFile(datatype: 16, version: version)
      let expected = values(for: 16)
      let bytes = file.singleFileBytes(expected)
      let single = scratch.write("one\(version).nii.gz", Gzip.compress(bytes))
      #expect(try NIfTIFile.readVolume(single).voxels == expected.map { Float($0) })
      // Members split inside the header and inside the data, as concatenated gzip files are.
      let cuts = [0, 100, file.headerSize + 10, bytes.count - 7, bytes.count]
      let members = (0..<cuts.count - 1).map { Gzip.compress(Array(bytes[cuts[$0]..<cuts[$0 + 1]])) }
      let multi = scratch.write("multi\(version).nii.gz", members.flatMap { $0 })
      #expect(try NIfTIFile.readVolume(multi).voxels == expected.map { Float($0) })
      #expect(try NIfTIFile.readHeader(multi).dataCompressed)
    }
    // Compression is told by content, not by name.
    let misnamed = scratch.write("really-gzip.nii", Gzip.compress(canonicalFile(datatype: 2).singleFileBytes(values(for: 2))))
    #expect(try NIfTIFile.readVolume(misnamed).voxels == values(for: 2).map { Float($0) })
  }

  @Test func skipsExtensionsToTheVoxelOffset() throws {
    let scratch = NIfTIScratch()
    var file = canonicalFile(datatype: 4)
    // One extension: esize 32, ecode 6 (comment), 24 bytes of text; then 16 bytes of padding.
    file.extensionBytes = [32, 0, 0, 0, 6, 0, 0, 0] + Array("fgf extension test text.".utf8)
    file.voxOffset = 400
    let expected = values(for: 4)
    let path = scratch.write("ext.nii", file.singleFileBytes(expected))
    #expect(try NIfTIFile.readHeader(path).dataOffset == 400)
    #expect(try NIfTIFile.readVolume(path).voxels == expected.map { Float($0) })
    let gz = scratch.write("ext.nii.gz", Gzip.compress(file.singleFileBytes(expected)))
    #expect(try NIfTIFile.readVolume(gz).voxels == expected.map { Float($0) })
  }

  @Test func zeroVoxelOffsetInASingleFileMeansRightAfterTheHeader() throws {
    let scratch = NIfTIScratch()
    var file = canonicalFile(datatype: 2)
    file.voxOffset = 0
    let bytes = file.header() + [0, 0, 0, 0] + file.data(values(for: 2))
    let path = scratch.write("zero.nii", bytes)
    let info = try NIfTIFile.readHeader(path)
    #expect(info.dataOffset == 352 && info.notes.contains { $0.contains("vox_offset is 0") })
    #expect(try NIfTIFile.readVolume(path).voxels == values(for: 2).map { Float($0) })
  }

  @Test func readsTheFirstVolumeOfA4DFile() throws {
    let scratch = NIfTIScratch()
    var file = canonicalFile(datatype: 4)
    file.dim = [4, 4, 3, 2, 3]
    let all = nifTIRamp(72)
    let path = scratch.write("four.nii.gz", Gzip.compress(file.singleFileBytes(all)))
    let (info, volume) = try NIfTIFile.read(path)
    #expect(volume.voxels == all.prefix(24).map { Float($0) })
    #expect(info.volumeCount == 3 && info.storedDimensions == [4, 3, 2, 3])
    #expect(info.notes.contains("4-D file: the first of 3 volumes is read"))

    // Trailing axes of length 1 are no extra volumes.
    file.dim = [5, 4, 3, 2, 1, 1]
    let trailing = scratch.write("five.nii", file.singleFileBytes(all.prefix(24).map { $0 }))
    let trailingInfo = try NIfTIFile.readHeader(trailing)
    #expect(trailingInfo.volumeCount == 1 && trailingInfo.notes.isEmpty)
  }

  @Test func readsA2DImageAsOneSlice() throws {
    let scratch = NIfTIScratch()
    var file = canonicalFile(datatype: 2)
    file.dim = [2, 4, 3]
    let path = scratch.write("flat.nii", file.singleFileBytes(nifTIRamp(12)))
    let volume = try NIfTIFile.readVolume(path)
    #expect(volume.grid.nx == 4 && volume.grid.ny == 3 && volume.grid.nz == 1)
    #expect(volume.voxels == nifTIRamp(12).map { Float($0) })
  }

  @Test func readsMasksAndLabelMaps() throws {
    let scratch = NIfTIScratch()
    var file = canonicalFile(datatype: 16)
    let stored: [Double] = [0, 1, 2, -1, .nan, 0.5, 2, 0, 3, 1, 1, 2] + [Double](repeating: 0, count: 12)
    let path = scratch.write("labels.nii", file.singleFileBytes(stored))
    let mask = try NIfTIFile.readMask(path)
    #expect(Array(mask.voxels.prefix(12)) == [0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1])
    #expect(try Array(NIfTIFile.readLabelMap(path, label: 2).voxels.prefix(12)) == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1])
    #expect(try Array(NIfTIFile.readLabelMap(path, label: 1).voxels.prefix(12)) == [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0])
    // Labels are compared after scaling: stored 4 with slope 0.5 is label 2.
    file.datatype = 2
    file.slope = 0.5
    let scaled = scratch.write("scaled-labels.nii", file.singleFileBytes([4, 2, 0] + [Double](repeating: 0, count: 21)))
    #expect(try Array(NIfTIFile.readLabelMap(scaled, label: 2).voxels.prefix(3)) == [1, 0, 0])
    #expect(try Array(NIfTIFile.readMask(scaled).voxels.prefix(3)) == [1, 1, 0])
  }

  @Test func readsTheDescriptionAndTellsWhatItRepaired() throws {
    let scratch = NIfTIScratch()
    var file = NIfTITestFile()
    file.pixdim = [1, 0.5, 0, -2]  // no sform or qform; pixdim[2] is 0, pixdim[3] negative
    var bytes = file.singleFileBytes(nifTIRamp(24))
    bytes.replaceSubrange(148..<160, with: Array("CT from PACS".utf8))
    let path = scratch.write("plain.nii", bytes)
    let info = try NIfTIFile.readHeader(path)
    #expect(info.descrip == "CT from PACS")
    #expect(info.affineSource == .pixdim)
    #expect(info.notes.contains { $0.contains("pixdim[2] is 0.0; 1 mm is used") })
    #expect(info.notes.contains { $0.contains("neither sform nor qform") })
    #expect(info.notes.contains("pixdim[3] is -2.0; its magnitude is used"))
    #expect(info.grid.spacing == SIMD3(0.5, 1, 2))
  }
}
