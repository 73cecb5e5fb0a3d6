// `fgf import dicom`: a directory of DICOM files (any nesting, e.g. a TCIA download) into a cohort
// directory — per patient the CT series an RT structure set with a matching GTV ROI was drawn
// on, as NIfTI image and mask, with labels and splits from a clinical table.

import Common
import Glibc

public enum DICOMImport {
  public struct Options: Sendable {
    public var source: String
    public var output: String
    /// ROI name patterns, tried in order (empty: the default primary-GTV pattern).
    public var roiPatterns: [String] = []
    public var clinical: String? = nil
    public var idColumn: String? = nil
    public var labelColumn = "label"
    public var splitColumn: String? = nil
    /// Seed of the stratified 60/20/20 split when there is no split column.
    public var seed: UInt64 = 0

    public init(source: String, output: String) {
      self.source = source
      self.output = output
    }
  }

  /// Runs the import. Throws for problems with the command as a whole (unreadable source or
  /// table, an existing output, a bad pattern); a patient that cannot be imported is skipped
  /// and reported.
  /// `cancelled` is asked before each patient; when it says true the import stops, throwing
  /// ImportCancelled, and can be resumed.
  public static func run(_ options: Options, progress: (@Sendable (ImportProgress) -> Void)? = nil,
                         cancelled: (@Sendable () -> Bool)? = nil) throws -> ImportSummary {
    let selector = try ROISelector(patterns: options.roiPatterns)
    let labels = try options.clinical.map { path throws(FileError) in
      try LabelTable(path: path, idColumn: options.idColumn, labelColumn: options.labelColumn, splitColumn: options.splitColumn)
    }
    let source = absolutePath(options.source)
    let scan = try DICOMScan.scan(source) { done, total in
      progress?(ImportProgress(phase: "scanning", done: done, total: total, item: ""))
    }
    let identity = JSONValue.object([
      (key: "importer", value: .string("dicom")), (key: "version", value: .number(1)),
      (key: "source", value: .string(source)),
      (key: "roi", value: .array(selector.patterns.map(JSONValue.string))),
    ])
    return try CohortImport.run(
      command: "import dicom", source: source, output: options.output, identity: identity,
      patientIDs: scan.patientIDs, labels: labels, seed: options.seed,
      detailColumns: ["roi"], sourceNotes: notes(scan), progress: progress, cancelled: cancelled) { id in
        guard let patient = scan.patients[id] else { return .failure(ImportSkip(.missingFile, "no files")) }
        return DICOMPatientBuilder.build(patient, selector: selector).map { built in
          let geometry = built.volume.grid
          var notes = ["CT series \(built.seriesInstanceUID): \(geometry.nx)×\(geometry.ny)×\(geometry.nz) voxels of "
                       + "\(formatMM(geometry.spacing.x))×\(formatMM(geometry.spacing.y))×\(formatMM(geometry.spacing.z)) mm",
                       "ROI \(built.roiNames.map { "\"\($0)\"" }.joined(separator: " + ")) of \(built.structureSetPath), "
                       + "\(built.mask.voxels.reduce(0) { $0 + Int($1) }) voxels"]
          notes += built.warnings.map { "warning: \($0)" }
          return PatientVolumes(image: .volume(built.volume), mask: built.mask,
                                details: [built.roiNames.joined(separator: " + ")], notes: notes)
        }
      }
  }

  /// What the scan found besides the patients, for the report.
  static func notes(_ scan: DICOMScan) -> [String] {
    var notes = ["files: \(scan.fileCount) looked at, \(scan.notDICOM) not DICOM, \(scan.unreadable.count) unreadable"]
    let other = scan.otherModalities.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    if !other.isEmpty { notes.append("other DICOM files ignored: \(other.joined(separator: ", "))") }
    if scan.localizers > 0 { notes.append("CT localizer images ignored: \(scan.localizers)") }
    if scan.withoutPatientID > 0 { notes.append("DICOM files without a PatientID ignored: \(scan.withoutPatientID)") }
    for reason in scan.unreadable.prefix(20) { notes.append("unreadable: \(reason)") }
    if scan.unreadable.count > 20 { notes.append("unreadable: … and \(scan.unreadable.count - 20) more") }
    return notes
  }

  /// `path` made absolute against the working directory (so a resumed import recognises its source).
  static func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let directory = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    return relative == "." ? directory : directory + "/" + relative
  }
}
