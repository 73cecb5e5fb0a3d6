// Tests of `fgf import dicom` through its library API: the sample DICOM tree becomes a cohort
// directory whose images hold exactly the series' HU values and whose masks sit on the tumours;
// patients without an RTSTRUCT, a matching ROI or a readable syntax are skipped with the reason;
// an existing output is refused, an interrupted import resumes, other options are refused.
import Testing
import Common
import Imaging
import Foundation

@Suite struct ImportDICOMTests {
  /// A sample tree of 8 patients and an import of it with the clinical table.
  static func imported(_ directory: ScratchDirectory, configure: (inout DICOMImport.Options) -> Void = { _ in },
                       cancelled: (@Sendable () -> Bool)? = nil) throws -> ImportSummary {
    let source = directory.path + "/src"
    if !isDirectory(source) { try ImportSamples.writeDICOM(to: source) }
    var options = DICOMImport.Options(source: source, output: directory.path + "/cohort")
    options.clinical = source + "/clinical.csv"
    options.labelColumn = "dm"
    configure(&options)
    return try DICOMImport.run(options, cancelled: cancelled)
  }

  @Test func importsTheSampleTreeAndSaysWhyPatientsWereSkipped() throws {
    let directory = try ScratchDirectory()
    let summary = try Self.imported(directory)
    #expect(summary.imported.map(\.id) == ["SAMPLE-001", "SAMPLE-002", "SAMPLE-003", "SAMPLE-004", "SAMPLE-005"])
    let reasons = Dictionary(uniqueKeysWithValues: summary.skipped.map { ($0.id, $0.reason.category) })
    #expect(reasons == ["SAMPLE-006": .noStructureSet, "SAMPLE-007": .noMatchingROI, "SAMPLE-008": .unsupportedSyntax])
    #expect(summary.skipped.first { $0.id == "SAMPLE-008" }?.reason.detail.contains("JPEG 2000") == true)
    #expect(summary.skipped.first { $0.id == "SAMPLE-007" }?.reason.detail.contains("\"GTVn\", \"PTV\"") == true)

    // cohort.csv: labels from the clinical table, its other column kept, the ROI names recorded.
    let output = directory.path + "/cohort"
    let table = try CohortCSV.parse(FileIO.read(output + "/cohort.csv"), path: "cohort.csv")
    let records = try table.rows.map { try $0.get() }
    #expect(table.extraColumns == ["age", "roi"])
    #expect(records.map { $0.extra[1] } == ["GTV", "GTVp", "GTV_primary", "GTV 1", "GTV-T"])
    let clinical = try CSV.parse(String(decoding: FileIO.read(directory.path + "/src/clinical.csv"), as: UTF8.self), path: "clinical.csv")
    let dm = Dictionary(uniqueKeysWithValues: clinical.dropFirst().map { ($0[0], Int($0[1]) ?? -1) })
    for record in records { #expect(record.label == dm[record.id]) }
    #expect(!isDirectory(output + ".partial"))
    #expect(isDirectory(output + "/images"))
    #expect(String(decoding: try FileIO.read(output + "/import-report.txt"), as: UTF8.self).contains("SAMPLE-006: skipped: no RTSTRUCT"))

    for record in records {
      // The image is the series' HU volume, bit for bit; the mask lies on the tumour (75 ± 15 HU,
      // away from the body's 40 ± 15 HU), which a flip or shift between them would break.
      let image = try NIfTIFile.readVolume(output + "/" + record.image)
      let mask = try NIfTIFile.readMask(output + "/" + record.mask)
      #expect(image.grid == mask.grid)
      let ctFiles = try files(under: directory.path + "/src/" + record.id).filter { $0.contains("-CT-") }
      let series = try CTSeries(ctFiles.map { path throws(FileError) in try CTImageHeader(DICOMReader.readHeader(path)) })
      let expected = try series.volume()
      #expect(image.voxels == expected.voxels)
      #expect(image.grid.nx == expected.grid.nx && image.grid.nz == expected.grid.nz)
      let maxAffineDifference = zip(image.grid.affine, expected.grid.affine).map { abs($0 - $1) }.max() ?? 0
      #expect(maxAffineDifference < 1e-4, "affine differs by \(maxAffineDifference)")
      let inside = zip(image.voxels, mask.voxels).filter { $0.1 == 1 }.map { Double($0.0) }
      let tumourLike = Double(inside.filter { $0 >= 60 }.count) / Double(inside.count)
      print("\(record.id): \(inside.count) mask voxels, mean HU \(inside.reduce(0, +) / Double(inside.count)), \(tumourLike * 100)% at tumour HU")
      #expect(inside.count > 300 && tumourLike > 0.95)
    }
  }

  @Test func anExistingOutputIsRefused() throws {
    let directory = try ScratchDirectory()
    _ = try Self.imported(directory)
    let error = #expect(throws: FileError.self) { try Self.imported(directory) }
    #expect(error?.problem == "already exists")
  }

  @Test func anInterruptedImportResumesAndOtherOptionsAreRefused() throws {
    let directory = try ScratchDirectory()
    let output = directory.path + "/cohort"
    // Stop before the third patient: two are written to cohort.partial, nothing to cohort.
    let asked = Counter()
    let stop: @Sendable () -> Bool = { asked.next() >= 2 }
    let cancelled = #expect(throws: ImportCancelled.self) { try Self.imported(directory, cancelled: stop) }
    #expect(cancelled?.written == 2)
    #expect(isDirectory(output + ".partial") && !isDirectory(output))
    #expect(try files(under: output + ".partial/images").count == 2)

    // Other options are refused while the partial import is there.
    let refused = #expect(throws: FileError.self) { try Self.imported(directory) { $0.roiPatterns = ["GTVn"] } }
    #expect(refused?.problem.contains("unfinished import") == true)

    // The same command resumes: the two written patients are kept, the rest imported.
    let summary = try Self.imported(directory)
    #expect(summary.resumed == 2)
    #expect(summary.imported.count == 5)
    #expect(isDirectory(output) && !isDirectory(output + ".partial"))
    #expect(!isDirectory(output + "/.import"))
    #expect(try CohortCSV.parse(FileIO.read(output + "/cohort.csv"), path: "c").rows.count == 5)
  }

  @Test func roiPatternsAreTriedInOrder() throws {
    let directory = try ScratchDirectory()
    let summary = try Self.imported(directory) { $0.roiPatterns = ["^nothing$", "^gtvn$"] }
    // Every sample patient with a structure set has a nodal GTV; the JPEG 2000 one is still skipped.
    #expect(summary.imported.map(\.id) == ["SAMPLE-001", "SAMPLE-002", "SAMPLE-003", "SAMPLE-004", "SAMPLE-005", "SAMPLE-007"])
    let table = try CohortCSV.parse(FileIO.read(directory.path + "/cohort/cohort.csv"), path: "c")
    #expect(try table.rows.map { try $0.get().extra[1] } == Array(repeating: "GTVn", count: 6))
    #expect(throws: ROIPatternError.self) { try Self.imported(try ScratchDirectory()) { $0.roiPatterns = ["GTV("] } }
  }

  @Test func withoutAClinicalTableLabelsAreMarkedUnknown() throws {
    let directory = try ScratchDirectory()
    let summary = try Self.imported(directory) { $0.clinical = nil }
    #expect(!summary.labelsKnown && summary.imported.count == 5)
    let table = try CohortCSV.parse(FileIO.read(directory.path + "/cohort/cohort.csv"), path: "c")
    #expect(table.extraColumns == ["roi", "label_known"])
    #expect(try table.rows.allSatisfy { let r = try $0.get(); return r.label == 0 && r.extra[1] == "no" })
  }

  @Test func clinicalRowsDecideLabelsAndSplits() throws {
    let directory = try ScratchDirectory()
    try ImportSamples.writeDICOM(to: directory.path + "/src")
    let table = """
      id,outcome,fold,notes
      SAMPLE-001,1,train,"first, with a comma"
      sample-002,0,VALIDATION,
      SAMPLE_003,yes,test,
      SAMPLE-004,,train,missing outcome
      SAMPLE-005,1,holdout,bad split
      SAMPLE-099,0,train,not imaged

      """
    try FileIO.writeAtomically(Array(table.utf8), to: directory.path + "/table.csv")
    let summary = try Self.imported(directory) {
      $0.clinical = directory.path + "/table.csv"
      $0.idColumn = "id"; $0.labelColumn = "Outcome"; $0.splitColumn = "fold"
    }
    #expect(summary.imported.map(\.id) == ["SAMPLE-001", "SAMPLE-002", "SAMPLE-003"])
    #expect(summary.imported.map(\.label) == [1, 0, 1])
    #expect(summary.imported.map(\.split) == [.train, .val, .test])
    let reasons = Dictionary(uniqueKeysWithValues: summary.skipped.map { ($0.id, $0.reason) })
    #expect(reasons["SAMPLE-004"]?.category == .noLabel && reasons["SAMPLE-004"]?.detail.contains("line 5") == true)
    #expect(reasons["SAMPLE-005"]?.category == .badSplit)
    #expect(summary.unmatchedLabelRows == ["SAMPLE-099"])
    let cohort = try CohortCSV.parse(FileIO.read(directory.path + "/cohort/cohort.csv"), path: "c")
    #expect(cohort.extraColumns == ["notes", "roi"])
    #expect(try cohort.rows[0].get().extra[0] == "first, with a comma")
  }

  @Test func noImportablePatientLeavesNothingBehind() throws {
    let directory = try ScratchDirectory()
    let summary = try Self.imported(directory) { $0.roiPatterns = ["^Brainstem$"] }
    #expect(summary.imported.isEmpty && summary.skipped.count == 8)
    #expect(!isDirectory(directory.path + "/cohort") && !isDirectory(directory.path + "/cohort.partial"))
  }
}

/// Counts calls from any thread.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  /// The number of earlier calls.
  func next() -> Int {
    lock.lock(); defer { lock.unlock() }
    defer { count += 1 }
    return count
  }
}
