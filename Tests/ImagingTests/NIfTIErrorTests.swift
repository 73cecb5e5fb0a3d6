// Tests that every broken NIfTI file is a FileError naming the file, the place and the problem,
// never a crash, and that declared sizes are checked before anything large is allocated.
import Testing
import Common
import Imaging

@Suite struct NIfTIErrorTests {
  /// Expects reading `path` (header and volume) to fail with `text` in the message.
  func expectFailure(_ path: String, _ text: String, place: String? = nil, headerToo: Bool = true,
                     sourceLocation: SourceLocation = #_sourceLocation) {
    let readers = headerToo ? ["volume", "mask", "header"] : ["volume", "mask"]
    for reader in readers {
      do {
        switch reader {
        case "volume": _ = try NIfTIFile.readVolume(path)
        case "mask": _ = try NIfTIFile.readMask(path)
        default: _ = try NIfTIFile.readHeader(path)
        }
        Issue.record("\(reader) of \(path) was read; expected \"\(text)\"", sourceLocation: sourceLocation)
      } catch {
        #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
        #expect(error.path.hasPrefix(String(path.prefix(while: { $0 != "." }))), "\(error)", sourceLocation: sourceLocation)
        if let place { #expect(error.place == place, "\(error)", sourceLocation: sourceLocation) }
      }
    }
  }

  var valid: NIfTITestFile {
    var file = NIfTITestFile()
    file.dim = [3, 4, 3, 2]
    return file
  }

  @Test func notNIfTI() {
    let scratch = NIfTIScratch()
    expectFailure(scratch.write("text.nii", Array(String(repeating: "patient_id,image\n", count: 40).utf8)),
                  "not a NIfTI file: sizeof_hdr is", place: "byte 0")
    expectFailure(scratch.write("empty.nii", []), "file is empty")
    expectFailure(scratch.file("absent.nii"), "cannot open")
    var analyze = valid
    analyze.magic = [0, 0, 0, 0]
    expectFailure(scratch.write("analyze.hdr", analyze.singleFileBytes(nifTIRamp(24))), "no NIfTI-1 magic", place: "byte 344")
    var two = valid
    two.version = 2
    two.magic = Array("n+3\0".utf8) + [13, 10, 26, 10]
    expectFailure(scratch.write("bad2.nii", two.singleFileBytes(nifTIRamp(24))), "no NIfTI-2 magic")
    two.magic = Array("n+2\0".utf8) + [10, 26, 10, 0]  // CR lost in a text-mode copy
    expectFailure(scratch.write("crlf.nii", two.singleFileBytes(nifTIRamp(24))), "magic is damaged")
  }

  @Test func truncatedHeader() {
    let scratch = NIfTIScratch()
    let bytes = valid.singleFileBytes(nifTIRamp(24))
    expectFailure(scratch.write("short.nii", Array(bytes.prefix(200))), "truncated header: 200 bytes of the 348", place: "header")
    expectFailure(scratch.write("short.nii.gz", Gzip.compress(Array(bytes.prefix(200)))), "truncated header: 200 bytes")
    var two = valid
    two.version = 2
    expectFailure(scratch.write("short2.nii", Array(two.singleFileBytes(nifTIRamp(24)).prefix(400))),
                  "truncated header: 400 bytes of the 540")
  }

  @Test func truncatedData() {
    let scratch = NIfTIScratch()
    let bytes = valid.singleFileBytes(nifTIRamp(24))  // 352 + 48 bytes
    expectFailure(scratch.write("cut.nii", Array(bytes.dropLast(10))), "truncated voxel data: 4×3×2 int16 from byte 352 needs 400 bytes, the file has 390")
    expectFailure(scratch.write("cut.nii.gz", Gzip.compress(Array(bytes.dropLast(10)))),
                  "the data decompresses to 390", headerToo: false)
    var large = valid
    large.dim = [3, 40, 30, 20]
    var random = SeededRandom(seed: 9)
    let packed = Gzip.compress(large.singleFileBytes((0..<24_000).map { _ in Double(random.index(2000)) }))
    expectFailure(scratch.write("cutstream.nii.gz", Array(packed.prefix(packed.count - 1000))),
                  "compressed stream is truncated", headerToo: false)
    var pair = valid
    pair.singleFile = false
    scratch.write("pair.hdr", pair.header() + [0, 0, 0, 0])
    scratch.write("pair.img", Array(pair.data(nifTIRamp(24)).dropLast(1)))
    expectFailure(scratch.file("pair.hdr"), "the file has 47")
  }

  @Test func dimensionsOutOfRange() {
    let scratch = NIfTIScratch()
    let cases: [([Int], String, String)] = [
      ([0, 4, 3, 2], "dim[0] is 0; a NIfTI image has 2 to 7 dimensions", "byte 40 (dim[0])"),
      ([8, 4, 3, 2], "dim[0] is 8", "byte 40 (dim[0])"),
      ([-3, 4, 3, 2], "dim[0] is -3", "byte 40 (dim[0])"),
      ([3, 0, 3, 2], "dim[1] is 0, outside 1…32768", "byte 40 (dim[1])"),
      ([3, 4, -3, 2], "dim[2] is -3", "byte 40 (dim[2])"),
      ([4, 4, 3, 2, 0], "dim[4] is 0", "byte 40 (dim[4])"),
    ]
    for (dim, text, place) in cases {
      var file = valid
      file.dim = dim
      expectFailure(scratch.write("dim.nii", file.singleFileBytes(nifTIRamp(24))), text, place: place)
    }
    var two = valid
    two.version = 2
    two.dim = [3, 4, 40_000, 2]
    expectFailure(scratch.write("dim2.nii", two.singleFileBytes(nifTIRamp(24))), "dim[2] is 40000, outside 1…32768",
                  place: "byte 16 (dim[2])")
  }

  @Test func sizeOverflowAndHugeDeclarationsAreRefusedBeforeAllocating() {
    let scratch = NIfTIScratch()
    var file = valid
    file.dim = [3, 32767, 32767, 2]
    expectFailure(scratch.write("huge.nii", file.singleFileBytes(nifTIRamp(24))),
                  "32767×32767×2 = 2147352578 voxels, more than the 1073741824 fgf reads")
    var two = valid
    two.version = 2
    two.dim = [7, 100, 100, 100, 32768, 32768, 32768, 32768]
    expectFailure(scratch.write("overflow.nii", two.singleFileBytes(nifTIRamp(24))), "overflow a voxel count")

    // 1024×1024×512 int16 declared (1 GiB), 48 bytes present: refused without allocating the gigabyte.
    file.dim = [3, 1024, 1024, 512]
    let before = peakResidentKiB()
    expectFailure(scratch.write("big.nii", file.singleFileBytes(nifTIRamp(24))), "needs 1073742176 bytes, the file has 400")
    expectFailure(scratch.write("big.nii.gz", Gzip.compress(file.singleFileBytes(nifTIRamp(24)))),
                  "the data decompresses to 400", headerToo: false)
    let grown = peakResidentKiB() - before
    print("declared 1 GiB, 48 bytes present: peak resident set grew by \(grown) KiB")
    #expect(grown < 256 << 10)
  }

  @Test func unsupportedDatatype() {
    let scratch = NIfTIScratch()
    for (code, text) in [(32, "unsupported datatype complex64 (32)"), (128, "RGB24"), (9999, "unsupported datatype code 9999")] {
      var file = valid
      file.datatype = code
      expectFailure(scratch.write("type.nii", file.singleFileBytes(nifTIRamp(24))), text, place: "byte 70 (datatype)")
    }
  }

  @Test func corruptGzip() throws {
    let scratch = NIfTIScratch()
    var file = valid
    file.dim = [3, 40, 30, 20]
    var random = SeededRandom(seed: 5)
    let packed = Gzip.compress(file.singleFileBytes((0..<24_000).map { _ in Double(random.index(2000)) }))
    var damaged = packed
    damaged[packed.count / 2] ^= 0xA5
    expectFailure(scratch.write("damaged.nii.gz", damaged), "corrupt compressed data", headerToo: false)
    // Damage past the first volume of a 4-D file is found too: the whole stream is checked.
    var fourD = valid
    fourD.dim = [4, 4, 3, 2, 2000]
    let series = Gzip.compress(fourD.singleFileBytes((0..<48_000).map { _ in Double(random.index(2000)) }))
    var damagedLater = series
    damagedLater[series.count * 3 / 4] ^= 0xA5
    expectFailure(scratch.write("damaged-4d.nii.gz", damagedLater), "compressed", headerToo: false)
    #expect(try NIfTIFile.readHeader(scratch.write("4d.nii.gz", series)).volumeCount == 2000)
    var damagedHeader = packed
    damagedHeader[2] = 7  // gzip compression method other than deflate
    expectFailure(scratch.write("damaged-header.nii.gz", damagedHeader), "corrupt compressed data")
  }

  @Test func missingImageOfAPair() {
    let scratch = NIfTIScratch()
    var pair = valid
    pair.singleFile = false
    expectFailure(scratch.write("lonely.hdr", pair.header() + [0, 0, 0, 0]), "missing image file", place: "header")
  }

  @Test func badVoxelOffsets() {
    let scratch = NIfTIScratch()
    var file = valid
    file.voxOffset = 100
    var bytes = file.header() + [0, 0, 0, 0] + file.data(nifTIRamp(24))
    expectFailure(scratch.write("inside.nii", bytes), "vox_offset 100 lies inside the header", place: "byte 108 (vox_offset)")
    for (offset, text) in [(Double.nan, "is not a whole number of bytes"), (352.5, "is not a whole number of bytes"),
                           (-352, "vox_offset -352.0 is negative")] {
      file.voxOffset = offset
      bytes = file.header() + [0, 0, 0, 0] + file.data(nifTIRamp(24))
      expectFailure(scratch.write("fraction.nii", bytes), text, place: "byte 108 (vox_offset)")
    }
  }

  @Test func errorsReadWell() throws {
    let scratch = NIfTIScratch()
    let path = scratch.write("cut.nii", Array(valid.singleFileBytes(nifTIRamp(24)).dropLast(2)))
    do {
      _ = try NIfTIFile.readVolume(path)
    } catch {
      print("example: \(error)")
      #expect(error.path == path && error.hint != nil)
    }
  }
}
