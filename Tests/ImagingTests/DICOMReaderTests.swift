// Tests of the DICOM stream reader and writer: every transfer syntax fgf reads, with and without
// preamble and meta group, sequences of defined and undefined length, value decoding.
import Testing
import Common
import Imaging

@Suite struct DICOMReaderTests {
  /// A data set with text, numbers, binary integers and a nested sequence (two levels).
  static func sampleDataSet() -> DICOMDataSet {
    var set = DICOMDataSet()
    set.set(.sopClassUID, string: DICOMSOPClass.rtStructureSet)
    set.set(.sopInstanceUID, string: "2.25.42")
    set.set(.modality, string: "RTSTRUCT")
    set.set(.patientID, string: "HN-CHUM-001")
    set.set(.rows, integers: [512])
    set.set(.imagePositionPatient, decimals: [-250.5, 12.25, 1e-7])
    set.set(DICOMTag(0x0011, 0x1010), vr: .LO, bytes: Array("private".utf8))   // unknown to the dictionary
    var image = DICOMDataSet()
    image.set(.referencedSOPInstanceUID, string: "2.25.7")
    var contour = DICOMDataSet()
    contour.set(.contourImageSequence, items: [image, image])
    contour.set(.contourData, decimals: [1, 2, 3, 4.5, 5.5, 6.5])
    var roi = DICOMDataSet()
    roi.set(.referencedROINumber, integers: [3])
    roi.set(.contourSequence, items: [contour])
    set.set(.roiContourSequence, items: [roi, DICOMDataSet()])
    return set
  }

  static let syntaxes: [DICOMTransferSyntax] = [.implicitLittle, .explicitLittle, .explicitBig, .deflatedExplicitLittle]

  static func checkSample(_ file: DICOMFile) throws {
    let set = file.dataSet
    #expect(set.string(.sopInstanceUID) == "2.25.42")
    #expect(set.string(.patientID) == "HN-CHUM-001")
    #expect(try set.integer(.rows) == 512)
    #expect(try set.doubles(.imagePositionPatient) == [-250.5, 12.25, 1e-7])
    #expect(set.string(DICOMTag(0x0011, 0x1010)) == "private")
    let rois = set.items(.roiContourSequence)
    #expect(rois.count == 2)
    #expect(try rois[0].integer(.referencedROINumber) == 3)
    let contours = rois[0].items(.contourSequence)
    #expect(contours.count == 1)
    #expect(try contours[0].doubles(.contourData) == [1, 2, 3, 4.5, 5.5, 6.5])
    #expect(contours[0].items(.contourImageSequence).map { $0.string(.referencedSOPInstanceUID) } == ["2.25.7", "2.25.7"])
    #expect(rois[1].elements.isEmpty)
  }

  @Test(arguments: syntaxes)
  func roundTripsEveryTransferSyntax(syntax: DICOMTransferSyntax) throws {
    for undefined in [false, true] {
      let bytes = DICOMWriter.encode(Self.sampleDataSet(), options: DICOMWriteOptions(transferSyntax: syntax, undefinedLengths: undefined))
      let file = try DICOMReader.parse(bytes, path: "sample.dcm")
      #expect(file.hasPreamble)
      #expect(file.transferSyntax == syntax)
      #expect(!file.transferSyntaxGuessed)
      #expect(file.dataSet.bigEndian == syntax.bigEndian)
      try Self.checkSample(file)
    }
  }

  @Test(arguments: [DICOMTransferSyntax.implicitLittle, .explicitLittle, .explicitBig])
  func readsFilesWithoutPreambleOrMeta(syntax: DICOMTransferSyntax) throws {
    // Meta group without preamble.
    let withMeta = DICOMWriter.encode(Self.sampleDataSet(), options: DICOMWriteOptions(transferSyntax: syntax, preamble: false))
    let file = try DICOMReader.parse(withMeta, path: "a")
    #expect(!file.hasPreamble && file.transferSyntax == syntax)
    try Self.checkSample(file)
    // Neither: the syntax is guessed from the first element.
    let bare = DICOMWriter.encode(Self.sampleDataSet(), options: DICOMWriteOptions(transferSyntax: syntax, preamble: false, meta: false))
    let guessed = try DICOMReader.parse(bare, path: "b")
    #expect(guessed.transferSyntaxGuessed)
    #expect(guessed.transferSyntax.explicitVR == syntax.explicitVR && guessed.transferSyntax.bigEndian == syntax.bigEndian)
    try Self.checkSample(guessed)
  }

  @Test func readsImplicitVRLabelledAsExplicit() throws {
    // Some writers put Implicit VR data behind an Explicit VR Little Endian meta group.
    let implicit = DICOMWriter.encode(Self.sampleDataSet(), options: DICOMWriteOptions(transferSyntax: .implicitLittle, preamble: false, meta: false))
    let meta = DICOMWriter.encode(DICOMDataSet(), options: DICOMWriteOptions(transferSyntax: .explicitLittle))
    try Self.checkSample(DICOMReader.parse(meta + implicit, path: "mislabelled"))
  }

  @Test func stopsBeforeTheRequestedTag() throws {
    let bytes = DICOMWriter.encode(Self.sampleDataSet())
    let file = try DICOMReader.parse(bytes, path: "x", stopBefore: .patientID)
    #expect(file.stoppedEarly)
    #expect(file.dataSet.string(.modality) == "RTSTRUCT")
    #expect(file.dataSet.string(.patientID) == nil)
  }

  @Test func readsHeadersFromAPrefixOfTheFile() throws {
    let directory = try ScratchDirectory()
    var set = Self.sampleDataSet()
    // A large private element before the tag the scan stops at forces the reader to read more.
    set.set(DICOMTag(0x0019, 0x1001), vr: .OB, bytes: [UInt8](repeating: 7, count: 100_000))
    set.set(.pixelData, vr: .OW, bytes: [UInt8](repeating: 1, count: 1_000_000))
    for syntax in Self.syntaxes {
      let path = directory.path + "/\(syntax.uid).dcm"
      try DICOMWriter.write(set, to: path, options: DICOMWriteOptions(transferSyntax: syntax))
      let header = try DICOMReader.readHeader(path, firstRead: 512)
      #expect(header.stoppedEarly)
      #expect(header.dataSet[.pixelData] == nil)
      try Self.checkSample(header)
    }
  }

  @Test func decimalStringsFitSixteenCharacters() {
    for value in [0.1, -123.456789012345678, 1.0 / 3.0, 1e-12, -2.5e20, 512, -1024.0, 0.000123456789123] {
      let text = DICOMDataSet.decimalString(value)
      #expect(text.count <= 16, "\(text)")
      let back = Double(text) ?? .nan
      #expect(abs(back - value) <= abs(value) * 1e-9, "\(value) → \(text)")
    }
  }

  @Test func decodesTextPaddingAndLatin1() {
    var set = DICOMDataSet()
    set.set(.patientID, vr: .LO, bytes: Array(" ID 7  ".utf8))
    set.set(.roiName, vr: .LO, bytes: [0x47, 0x54, 0x56, 0x20, 0xE9])  // "GTV é" in ISO 8859-1
    set.set(.imageType, strings: ["ORIGINAL", "", "AXIAL"])
    #expect(set.string(.patientID) == "ID 7")
    #expect(set.string(.roiName) == "GTV é")
    #expect(set.strings(.imageType) == ["ORIGINAL", "", "AXIAL"])
  }
}
