// Tests that bad DICOM input is refused with a FileError naming the file, the place and the
// problem, never a crash or a huge allocation: compressed syntaxes, files cut short at every
// byte, lengths that overflow, deep nesting, broken RLE, and seeded random corruption.
import Testing
import Common
import Imaging

@Suite struct DICOMRejectionTests {
  static func smallCT(_ syntax: DICOMTransferSyntax = .explicitLittle) -> [UInt8] {
    var spec = CTSampleSpec()
    spec.rows = 3; spec.columns = 4; spec.slices = 1
    return DICOMWriter.encode(DICOMSamples.ctImages(spec, encapsulateRLE: syntax == .rleLossless)[0],
                              options: DICOMWriteOptions(transferSyntax: syntax))
  }

  /// Parses `bytes` as a CT image all the way to HU values; any failure must be a FileError.
  static func loadCT(_ bytes: [UInt8], path: String = "ct.dcm") throws(FileError) -> [Int64] {
    let file = try DICOMReader.parse(bytes, path: path)
    _ = try CTImageHeader(file)
    return try DICOMPixels.storedValues(file)
  }

  @Test func compressedSyntaxesAreRefusedByName() throws {
    for (uid, name) in [("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)"), ("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
                        ("1.2.840.10008.1.2.4.70", "JPEG Lossless"), ("1.2.840.10008.1.2.4.50", "JPEG Baseline"),
                        ("1.2.826.0.1.3680043.99", "unknown transfer syntax")] {
      var spec = CTSampleSpec()
      spec.slices = 2
      let images = DICOMSamples.ctImages(spec).map { image -> DICOMDataSet in
        var image = image
        image.setEncapsulatedPixelData(fragments: [[0xFF, 0xD8, 0xFF, 0xD9]])
        return image
      }
      let syntax = DICOMTransferSyntax.named(uid)
      let files = try images.enumerated().map { k, image in
        try DICOMReader.parse(DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: syntax)), path: "j\(k).dcm")
      }
      #expect(files[0].transferSyntax.uid == uid)
      let pixelError = #expect(throws: FileError.self) { try DICOMPixels.storedValues(files[0]) }
      #expect(pixelError?.problem.contains(name) == true && pixelError?.problem.contains(uid) == true, "\(pixelError?.description ?? "")")
      let seriesError = #expect(throws: FileError.self) { try CTSeries(files.map(CTImageHeader.init)) }
      #expect(seriesError?.problem.contains(name) == true, "\(seriesError?.description ?? "")")
    }
  }

  @Test func notDICOMIsRefused() {
    let error = #expect(throws: FileError.self) { try DICOMReader.parse(Array("patient_id,label\nA,1\n".utf8), path: "notes.csv") }
    #expect(error?.path == "notes.csv")
    #expect(error?.problem.contains("not a DICOM file") == true)
    #expect(throws: FileError.self) { try DICOMReader.parse([], path: "empty.dcm") }
  }

  @Test(arguments: [DICOMTransferSyntax.implicitLittle, .explicitLittle, .explicitBig, .deflatedExplicitLittle, .rleLossless])
  func filesCutShortAtEveryByteAreErrors(syntax: DICOMTransferSyntax) throws {
    let bytes = Self.smallCT(syntax)
    let full = try Self.loadCT(bytes)
    var errors = 0, parsed = 0
    for length in 0..<bytes.count {
      do {
        // A cut exactly between elements can leave a valid shorter file; then the values must be complete.
        let values = try Self.loadCT(Array(bytes[0..<length]))
        #expect(values == full)
        parsed += 1
      } catch {
        #expect(error.path == "ct.dcm")
        errors += 1
      }
    }
    #expect(errors > 0 && parsed < 4, "\(parsed) prefixes parsed")
  }

  @Test func overflowingLengthsAreErrors() throws {
    let bytes = Self.smallCT()
    // Find the explicit-VR header of (0010,0020) PatientID (LO, 16-bit length) and of PixelData (OW, 32-bit).
    func find(_ pattern: [UInt8]) -> Int? {
      (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
    }
    let patient = try #require(find([0x10, 0x00, 0x20, 0x00, 0x4C, 0x4F]))
    var long = bytes
    long[patient + 6] = 0xFF; long[patient + 7] = 0xFF
    let error = #expect(throws: FileError.self) { try Self.loadCT(long) }
    #expect(error?.place?.contains("(0010,0020)") == true, "\(error?.description ?? "")")
    #expect(error?.problem.contains("65535 bytes") == true)

    let pixels = try #require(find([0xE0, 0x7F, 0x10, 0x00, 0x4F, 0x57]))
    for length: UInt32 in [0xFFFF_FFF0, 0x7FFF_FFFF, 0x8000_0000, UInt32(bytes.count)] {
      var huge = bytes
      for k in 0..<4 { huge[pixels + 8 + k] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(k))) }
      let error = #expect(throws: FileError.self) { try Self.loadCT(huge) }
      #expect(error?.place?.contains("PixelData") == true, "\(error?.description ?? "")")
    }
  }

  @Test func declaredImageSizesBeyondThePixelDataAreErrors() throws {
    var spec = CTSampleSpec()
    spec.slices = 1
    var image = DICOMSamples.ctImages(spec)[0]
    image.set(.rows, integers: [65535])
    image.set(.columns, integers: [65535])
    let error = #expect(throws: FileError.self) { try Self.loadCT(DICOMWriter.encode(image)) }
    #expect(error?.problem.contains("need") == true)
  }

  @Test func badImageDescriptionsAreErrors() throws {
    var spec = CTSampleSpec()
    spec.slices = 1
    let cases: [(DICOMTag, (inout DICOMDataSet) -> Void, String)] = [
      (.samplesPerPixel, { $0.set(.samplesPerPixel, integers: [3]) }, "samples per pixel"),
      (.photometricInterpretation, { $0.set(.photometricInterpretation, string: "RGB") }, "RGB"),
      (.numberOfFrames, { $0.set(.numberOfFrames, integers: [40]) }, "40 frames"),
      (.bitsAllocated, { $0.set(.bitsAllocated, integers: [12]) }, "12 bits allocated"),
      (.bitsStored, { $0.set(.bitsStored, integers: [17]) }, "17 bits stored"),
      (.highBit, { $0.set(.highBit, integers: [16]) }, "high bit 16"),
      (.pixelRepresentation, { $0.set(.pixelRepresentation, integers: [2]) }, "pixel representation 2"),
      (.imagePositionPatient, { $0.set(.imagePositionPatient, decimals: [1, 2]) }, "2 values"),
      (.imagePositionPatient, { $0.set(.imagePositionPatient, string: "1\\x\\3", vr: .DS) }, "not a list of decimal numbers"),
      (.imageOrientationPatient, { $0.set(.imageOrientationPatient, decimals: [1, 0, 0, 1, 0, 0]) }, "not perpendicular"),
      (.pixelSpacing, { $0.set(.pixelSpacing, decimals: [0, 1]) }, "must be positive"),
      (.rescaleSlope, { $0.set(.rescaleSlope, decimals: [0]) }, "slope non-zero"),
      (.sopInstanceUID, { $0.elements[.sopInstanceUID] = nil }, "missing"),
      (.pixelData, { $0.elements[.pixelData] = nil }, "no pixel data"),
    ]
    for (tag, change, words) in cases {
      var image = DICOMSamples.ctImages(spec)[0]
      change(&image)
      let error = #expect(throws: FileError.self) { try Self.loadCT(DICOMWriter.encode(image)) }
      #expect(error?.problem.contains(words) == true, "\(tag): \(error?.description ?? "no error")")
      #expect(error?.place?.contains(tag.description) == true, "\(tag): \(error?.description ?? "no error")")
    }
  }

  @Test func brokenRLEIsAnError() throws {
    var spec = CTSampleSpec()
    spec.slices = 1; spec.rows = 4; spec.columns = 4
    let good = DICOMSamples.ctImages(spec, encapsulateRLE: true)[0]
    guard case .encapsulated(_, let fragments) = good[.pixelData]?.value else { Issue.record("not encapsulated"); return }
    let frame = Array(fragments[0])
    func attempt(_ change: (inout [UInt8]) -> Void) -> FileError? {
      var bytes = frame
      change(&bytes)
      var image = good
      image.setEncapsulatedPixelData(fragments: [bytes])
      return #expect(throws: FileError.self) {
        try Self.loadCT(DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: .rleLossless)))
      }
    }
    #expect(attempt { $0[0] = 3 }?.problem.contains("3 segments") == true)
    #expect(attempt { $0[4] = 0xFF; $0[5] = 0xFF; $0[6] = 0xFF; $0[7] = 0x7F }?.problem.contains("offset") == true)
    #expect(attempt { $0.removeLast($0.count - 70) }?.problem.contains("segment") == true)
    #expect(attempt { $0 = Array($0.prefix(40)) }?.problem.contains("64-byte header") == true)
    // A hand-made segment pair: repeat 5 three times, then a literal 7, 9 — decodes to [5,5,5,7,9,...].
    var header = [UInt8](repeating: 0, count: 64)
    header[0] = 1; header[4] = 64
    let segment: [UInt8] = [0xFE, 5, 0x01, 7, 9, 0xFD, 1, 0x80]
    var spec8 = CTSampleSpec()
    spec8.slices = 1; spec8.rows = 1; spec8.columns = 9; spec8.signed = false
    spec8.bitsAllocated = 8; spec8.bitsStored = 8; spec8.highBit = 7
    var image = DICOMSamples.ctImages(spec8, hu: { _ in 0 })[0]
    image.setEncapsulatedPixelData(fragments: [header + segment])
    #expect(try Self.loadCT(DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: .rleLossless))) == [5, 5, 5, 7, 9, 1, 1, 1, 1])
  }

  @Test func deepNestingIsAnError() throws {
    var set = DICOMDataSet()
    set.set(.patientID, string: "deep")
    for _ in 0..<40 {
      var outer = DICOMDataSet()
      outer.set(DICOMTag(0x0008, 0x1115), items: [set])
      set = outer
    }
    for undefined in [false, true] {
      let bytes = DICOMWriter.encode(set, options: DICOMWriteOptions(undefinedLengths: undefined))
      let error = #expect(throws: FileError.self) { try DICOMReader.parse(bytes, path: "deep.dcm") }
      #expect(error?.problem.contains("nested more than") == true)
    }
  }

  @Test func malformedStructuresAreErrors() throws {
    // Explicit VR Little Endian element headers, written by hand.
    func element(_ group: UInt16, _ elementNumber: UInt16, _ vr: String, _ length: UInt32, long: Bool) -> [UInt8] {
      var bytes = [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(elementNumber & 0xFF), UInt8(elementNumber >> 8)] + Array(vr.utf8)
      if long { bytes += [0, 0] + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * UInt32($0))) } }
      else { bytes += [UInt8(length & 0xFF), UInt8(length >> 8)] }
      return bytes
    }
    let start = element(0x0008, 0x0060, "CS", 2, long: false) + Array("CT".utf8)
    let cases: [([UInt8], String)] = [
      (start + element(0x0010, 0x0020, "LO", 0xFFFF_FFFF & 0xFFFF, long: false), "needs 65535 bytes"),
      (start + element(0x0010, 0x0020, "UT", 0xFFFF_FFFF, long: true), "undefined length on a UT element"),
      (start + element(0x0008, 0x1115, "SQ", 0xFFFF_FFFF, long: true) + [0x08, 0, 0x18, 0, 0, 0, 0, 0], "where a sequence item"),
      (start + element(0x0008, 0x1115, "SQ", 0xFFFF_FFFF, long: true), "sequence delimiter"),
      (start + element(0x0008, 0x1115, "SQ", 8, long: true) + [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0x7F], "an item needs"),
      (start + [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0], "item delimiter outside"),
      (start + element(0x0010, 0x0020, "Q!", 2, long: false) + [0x41, 0x42], "invalid value representation"),
    ]
    for (bytes, words) in cases {
      let error = #expect(throws: FileError.self) { try DICOMReader.parse(bytes, path: "hand.dcm") }
      #expect(error?.problem.contains(words) == true, "\(error?.description ?? "no error") should say \(words)")
      #expect(error?.place?.hasPrefix("byte ") == true)
    }
  }

  @Test func corruptDeflateIsAnError() throws {
    var bytes = Self.smallCT(.deflatedExplicitLittle)
    let body = bytes.count - 40
    for k in body..<(body + 8) { bytes[k] ^= 0x5A }
    #expect(throws: FileError.self) { try Self.loadCT(bytes) }
    #expect(throws: FileError.self) { try Self.loadCT(Array(Self.smallCT(.deflatedExplicitLittle).dropLast(30))) }
  }

  @Test func seededRandomCorruptionNeverCrashes() throws {
    var random = SeededRandom(seed: 2024)
    var spec = CTSampleSpec()
    spec.rows = 3; spec.columns = 4; spec.slices = 1
    let rtstruct = DICOMWriter.encode(DICOMSamples.rtStructure(spec, rois: [("GTV", [DICOMSamples.square(spec, slice: 0, columns: 0, 2, rows: 0, 2)])]),
                                      options: DICOMWriteOptions(undefinedLengths: true))
    let seeds = [DICOMTransferSyntax.implicitLittle, .explicitLittle, .explicitBig, .deflatedExplicitLittle, .rleLossless].map { Self.smallCT($0) } + [rtstruct]
    var outcomes = (ok: 0, refused: 0)
    for original in seeds {
      for _ in 0..<400 {
        var bytes = original
        for _ in 0..<(1 + random.index(4)) {
          let at = random.index(bytes.count)
          switch random.index(3) {
          case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
          case 1: bytes[at] = [0x00, 0xFF, 0x7F, 0x80][random.index(4)]
          default: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.index(16)))
          }
          if bytes.isEmpty { break }
        }
        do {
          let file = try DICOMReader.parse(bytes, path: "fuzz.dcm")
          if file.dataSet.string(.modality) == "RTSTRUCT" { _ = try RTStructureSet(file) } else {
            _ = try CTImageHeader(file)
            _ = try DICOMPixels.storedValues(file)
          }
          outcomes.ok += 1
        } catch {
          #expect(error.path == "fuzz.dcm")
          outcomes.refused += 1
        }
      }
    }
    print("random corruption: \(outcomes.ok) files still read, \(outcomes.refused) refused with a FileError, no crash")
    #expect(outcomes.refused > 0)
  }
}
