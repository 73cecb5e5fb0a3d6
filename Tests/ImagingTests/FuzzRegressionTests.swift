// Regression tests for what fuzzing the Imaging readers found (Docs/FUZZING.md), and a replay of
// every committed fuzz input (Tests/Fuzz/Corpus and Tests/Fuzz/Regressions) through the readers
// with the fuzz targets' checks, so `swift test` catches a regression without libFuzzer.
import Testing
import Common
import Foundation
import Imaging

/// The committed inputs of fuzz target `target`: seeds and minimised findings.
func fuzzInputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
  let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")
  var inputs: [(String, [UInt8])] = []
  for folder in ["Corpus", "Regressions"] {
    let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(target).path
    for name in FileIO.listDirectory(directory).sorted() {
      if let bytes = try? FileIO.read(directory + "/" + name) { inputs.append(("\(folder)/\(target)/\(name)", bytes)) }
    }
  }
  return inputs
}

@Suite struct FuzzRegressionTests {
  // MARK: findings

  /// Found by the `dicom` target's first run: a header read from a prefix of the file that ended
  /// exactly between two elements stopped there, silently dropping the rest of the header (the
  /// whole data set, when the prefix ended with the meta group). Every prefix length must give
  /// the same elements as parsing the whole file.
  @Test func aHeaderPrefixEndingBetweenElementsReadsOn() throws {
    let directory = NSTemporaryDirectory() + "fgf-fuzz-regression-\(getpid())"
    mkdir(directory, 0o700)
    defer { FileIO.removeTree(directory) }
    var spec = CTSampleSpec()
    spec.slices = 1
    let image = DICOMSamples.ctImages(spec)[0]
    var checked = 0
    for (name, options) in [("implicit-no-meta", DICOMWriteOptions(transferSyntax: .implicitLittle, preamble: false, meta: false)),
                            ("explicit", DICOMWriteOptions()), ("big", DICOMWriteOptions(transferSyntax: .explicitBig)),
                            ("no-preamble", DICOMWriteOptions(preamble: false))] {
      let bytes = DICOMWriter.encode(image, options: options)
      let path = directory + "/\(name).dcm"
      try FileIO.writeAtomically(bytes, to: path)
      let whole = try DICOMReader.parse(bytes, path: path, stopBefore: .pixelData)
      for firstRead in 256...bytes.count {
        let header = try DICOMReader.readHeader(path, firstRead: firstRead)
        #expect(header.dataSet.elements.keys.sorted() == whole.dataSet.elements.keys.sorted(), "\(name), first read \(firstRead)")
        checked += 1
      }
    }
    print("DICOM header prefixes checked: \(checked)")
  }

  /// Found by the `nifti` and `nifti-gzip` targets' acceptance runs: a NaN in the sform rows with
  /// sform_code 1. The reader ignores the non-finite sform (with a note), and the file reads the
  /// same from memory and from a file; the target's check compared the headers with `==`, which
  /// a NaN kept in the raw header makes false. Both inputs must read, with a finite geometry.
  @Test func aNonFiniteSformIsIgnoredAndReadsTheSameBothWays() throws {
    let directory = NSTemporaryDirectory() + "fgf-fuzz-nan-sform-\(getpid())"
    mkdir(directory, 0o700)
    defer { FileIO.removeTree(directory) }
    let plain = try #require(fuzzInputs("nifti").first { $0.name.hasSuffix("/nan-in-sform") }).bytes
    let gzipInput = try #require(fuzzInputs("nifti-gzip").first { $0.name.hasSuffix("/nan-in-sform") }).bytes
    // The nifti-gzip target compresses its input without the first byte (one member when < 128).
    #expect(gzipInput[0] >= 128)
    let content = Array(gzipInput.dropFirst())
    let split = Int(gzipInput[0]) * content.count / 255
    let compressed = Gzip.compress(Array(content[..<split]), level: 1) + Gzip.compress(Array(content[split...]), level: 1)
    for (name, bytes) in [("input.nii", plain), ("input.nii.gz", compressed)] {
      let path = directory + "/" + name
      try FileIO.writeAtomically(bytes, to: path)
      let fromMemory = try NIfTIFile.decode(bytes, path: path), fromFile = try NIfTIFile.read(path)
      // The non-finite sform is not used (the qform, or pixdim when the mutation spoilt that too).
      #expect(fromFile.header.affineSource != .sform, "\(name)")
      #expect(fromFile.header.storedAffineRAS.allSatisfy { $0.isFinite }, "\(name)")
      #expect(fromFile.volume.grid.affine.allSatisfy { $0.isFinite }, "\(name)")
      #expect(String(reflecting: fromMemory.header) == String(reflecting: fromFile.header), "\(name)")
      #expect(fromMemory.volume == fromFile.volume, "\(name)")
    }
  }

  // MARK: the committed fuzz inputs, replayed

  @Test func niftiInputsReadTheSameFromMemoryAndFromAFile() throws {
    let directory = NSTemporaryDirectory() + "fgf-fuzz-nifti-\(getpid())"
    mkdir(directory, 0o700)
    defer { FileIO.removeTree(directory) }
    var read = 0
    let inputs = fuzzInputs("nifti") + fuzzInputs("nifti-gzip").map { name, bytes in
      (name, bytes.isEmpty ? [] : Gzip.compress(Array(bytes.dropFirst()), level: 1))
    }
    #expect(inputs.count > 50)
    for (name, bytes) in inputs {
      let path = directory + "/input.nii"
      try FileIO.writeAtomically(bytes, to: path)
      let fromMemory = try? NIfTIFile.decode(bytes, path: path), fromFile = try? NIfTIFile.read(path)
      // As text: NaN in an ignored field (a non-finite sform) would make equal headers differ.
      #expect(String(reflecting: fromMemory?.header) == String(reflecting: fromFile?.header), "\(name)")
      #expect(fromMemory?.volume == fromFile?.volume, "\(name)")
      if fromFile != nil { read += 1 }
    }
    print("NIfTI fuzz inputs: \(inputs.count), read: \(read)")
    #expect(read > 10)
  }

  @Test func dicomInputsParseOrAreRefused() throws {
    let inputs = fuzzInputs("dicom")
    #expect(inputs.count > 40)
    var images = 0
    for (_, bytes) in inputs {
      guard let file = try? DICOMReader.parse(bytes, path: "input.dcm") else { continue }
      if (try? CTImageHeader(file)) != nil, (try? DICOMPixels.storedValues(file)) != nil { images += 1 }
      _ = try? RTStructureSet(file)
    }
    print("DICOM fuzz inputs: \(inputs.count), complete CT images: \(images)")
    #expect(images >= 10)
  }

  @Test func rtstructInputsRasteriseOntoTheSampleSeries() throws {
    let headers = try DICOMSamples.ctImages(CTSampleSpec()).map { try CTImageHeader(DICOMReader.parse(DICOMWriter.encode($0), path: "ct.dcm")) }
    let series = try CTSeries(headers)
    let inputs = fuzzInputs("rtstruct")
    #expect(inputs.count > 30)
    var masks = 0
    for (name, bytes) in inputs {
      guard let file = try? DICOMReader.parse(bytes, path: "rs.dcm"), let set = try? RTStructureSet(file),
            let result = try? RTStructRasterizer.mask(set.rois, of: set, on: series) else { continue }
      #expect(result.mask.grid == series.grid, "\(name)")
      masks += 1
    }
    print("RTSTRUCT fuzz inputs: \(inputs.count), rasterised: \(masks)")
    #expect(masks >= 10)
  }

  @Test func cohortCSVInputsSurviveEncodeAndParse() throws {
    let inputs = fuzzInputs("cohort-csv")
    #expect(inputs.count > 15)
    for (name, bytes) in inputs {
      guard let rows = try? CSV.records(bytes, path: "cohort.csv").map(\.fields) else { continue }
      #expect(try CSV.parse(CSV.encode(rows), path: "again.csv") == rows, "\(name)")
      guard let table = try? CohortCSV.parse(bytes, path: "cohort.csv") else { continue }
      let valid = table.rows.compactMap { try? $0.get() }
      let again = try CohortCSV.parse(Array(CohortCSV.encode(records: valid, extraColumns: table.extraColumns).utf8), path: "again.csv")
      #expect(again.rows.compactMap { try? $0.get().id } == valid.map(\.id), "\(name)")
    }
  }
}
