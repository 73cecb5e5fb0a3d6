// CohortDirectory: a cohort on disk (DESIGN §4): cohort.csv beside NIfTI volumes and masks.
// Opening reads only cohort.csv and the NIfTI headers (in parallel) and checks every row; the
// voxels are read when a patient is first asked for (CohortDirectory+Loading.swift).

import Common
import Glibc

public final class CohortDirectory: CohortSource {
  /// The directory as the user named it.
  public let name: String
  /// Its absolute path (symbolic links resolved).
  public let absolutePath: String
  /// The path of cohort.csv, as errors name it.
  public let tablePath: String
  public let extraColumns: [String]
  public let patients: [PatientRecord]
  /// Rows skipped as invalid (only with `skipInvalid`), with why.
  public let skipped: [FileError]

  /// Where each patient's files are and their grids, from the headers read on opening.
  struct Files: Sendable {
    var image: String, mask: String
    /// The files holding the voxels (differ from image/mask for .hdr/.img pairs).
    var imageData: String, maskData: String
    var grid: Grid
    /// What the NIfTI reader noted while reading the headers (fields it ignored or repaired,
    /// obliquity, extra volumes), prefixed "image: " or "mask: ".
    var notes: [String]
  }
  let files: [String: Files]

  /// Image and mask grids must agree within this many mm (spacing and every affine entry).
  public static let geometryTolerance = 1e-3

  /// Opens the cohort directory at `path` (or the cohort.csv file itself) and checks every row:
  /// the CSV (see `CohortCSV.parse`), the image and mask files (present, readable NIfTI headers)
  /// and their geometry (same size, spacing and voxel-to-world affine). The first problem is
  /// thrown, naming cohort.csv and its line. With `skipInvalid`, bad rows are skipped instead,
  /// each reported through `warnings`; it is still an error when no row is left.
  public init(path: String, skipInvalid: Bool = false, warnings: ((String) -> Void)? = nil) throws(FileError) {
    var trimmed = path
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    var info = stat()
    guard stat(trimmed, &info) == 0 else {
      throw FileError(path: trimmed, problem: "no such cohort directory: \(String(cString: strerror(errno)))",
                      hint: "a cohort directory holds cohort.csv beside its NIfTI volumes")
    }
    let directory: String, tablePath: String
    if (info.st_mode & S_IFMT) == S_IFDIR {
      directory = trimmed
      tablePath = trimmed + "/" + CohortCSV.fileName
    } else {
      directory = trimmed.contains("/") ? String(trimmed[..<(trimmed.lastIndex(of: "/") ?? trimmed.endIndex)]) : "."
      tablePath = trimmed
    }
    let base = CohortDirectory.resolve(directory.isEmpty ? "/" : directory)
    name = trimmed
    absolutePath = base
    self.tablePath = tablePath

    let bytes: [UInt8]
    do {
      bytes = try FileIO.read(tablePath, limit: 1 << 28)
    } catch {
      var error = error
      error.hint = error.hint ?? "a cohort directory holds \(CohortCSV.fileName) with the columns \(CohortCSV.requiredColumns.joined(separator: ",")); `fgf synth --out DIR` writes an example"
      throw error
    }
    let table = try CohortCSV.parse(bytes, path: tablePath)
    guard !table.rows.isEmpty else {
      throw FileError(path: tablePath, problem: "the table has a header but no patients")
    }
    extraColumns = table.extraColumns

    // The headers of all rows, read in parallel (the cost of opening a large cohort).
    let checked = Parallel.map(table.rows.count) { i -> Result<(PatientRecord, Files), FileError> in
      table.rows[i].flatMap { record in CohortDirectory.check(record, in: base, table: tablePath) }
    }

    var patients: [PatientRecord] = []
    var files: [String: Files] = [:]
    var problems: [FileError] = []
    for row in checked {
      switch row {
      case .success(let (record, found)):
        patients.append(record)
        files[record.id] = found
      case .failure(let error):
        problems.append(error)
      }
    }
    if let first = problems.first, !skipInvalid {
      var error = first
      if problems.count > 1 {
        let more = "\(problems.count - 1) more row\(problems.count == 2 ? " is" : "s are") invalid too; --skip-invalid skips bad rows"
        error.hint = error.hint.map { "\($0); \(more)" } ?? more
      }
      throw error
    }
    for problem in problems { warnings?("\(problem); row skipped") }
    guard !patients.isEmpty else {
      throw FileError(path: tablePath, problem: "no valid patient row (\(problems.count) skipped)")
    }
    self.patients = patients
    self.files = files
    self.skipped = problems
  }

  /// The cohort's directory, for the crop cache beside it.
  public var directory: String? { absolutePath }

  /// cohort.csv and the patient's line.
  public func origin(of patient: PatientRecord) -> (path: String, place: String) {
    (tablePath, "line \(patient.line)")
  }

  /// The patient's image grid as its header gives it (no voxels read); nil for an unknown patient.
  public func grid(for patient: PatientRecord) -> Grid? { files[patient.id]?.grid }

  /// What the NIfTI reader noted about the patient's image and mask headers ("image: …",
  /// "mask: …"): fields it ignored or fell back from, obliquity, extra volumes. Empty when none.
  public func headerNotes(for patient: PatientRecord) -> [String] { files[patient.id]?.notes ?? [] }

  /// Checks one row's files through their headers.
  static func check(_ record: PatientRecord, in base: String, table: String) -> Result<(PatientRecord, Files), FileError> {
    let image = locate(record.image, in: base), mask = locate(record.mask, in: base)
    let imageHeader: NIfTIHeaderInfo, maskHeader: NIfTIHeaderInfo
    do {
      imageHeader = try NIfTIFile.readHeader(image)
    } catch {
      return .failure(rowError(record, table: table, file: "image \(record.image)", error))
    }
    do {
      maskHeader = try NIfTIFile.readHeader(mask)
    } catch {
      return .failure(rowError(record, table: table, file: "mask \(record.mask)", error))
    }
    if let mismatch = geometryMismatch(image: imageHeader.grid, mask: maskHeader.grid) {
      return .failure(FileError(path: table, place: "line \(record.line)", problem: "patient \(record.id): \(mismatch)",
                                hint: "the mask must be drawn on the image's voxel grid; resample it onto the image"))
    }
    let notes = imageHeader.notes.map { "image: \($0)" } + maskHeader.notes.map { "mask: \($0)" }
    return .success((record, Files(image: image, mask: mask, imageData: imageHeader.dataPath,
                                   maskData: maskHeader.dataPath, grid: imageHeader.grid, notes: notes)))
  }

  /// A problem with one of a row's files, reported at the row: `cohort.csv: line N: patient P:
  /// image ct/P.nii.gz: byte 0: not a NIfTI file (hint)`.
  static func rowError(_ record: PatientRecord, table: String, file: String, _ error: FileError) -> FileError {
    let place = error.place.map { "\($0): " } ?? ""
    return FileError(path: table, place: "line \(record.line)", problem: "patient \(record.id): \(file): \(place)\(error.problem)",
                     hint: error.hint)
  }

  /// Why the image and mask grids differ, or nil when they agree.
  static func geometryMismatch(image: Grid, mask: Grid) -> String? {
    func size(_ g: Grid) -> String { "\(g.nx)×\(g.ny)×\(g.nz)" }
    guard image.nx == mask.nx, image.ny == mask.ny, image.nz == mask.nz else {
      return "the image is \(size(image)) voxels but the mask is \(size(mask))"
    }
    let spacing = image.spacing - mask.spacing
    let spacingDifference = max(abs(spacing.x), abs(spacing.y), abs(spacing.z))
    guard spacingDifference <= geometryTolerance else {
      return "the image spacing (\(image.spacing.x), \(image.spacing.y), \(image.spacing.z)) mm differs from the mask's (\(mask.spacing.x), \(mask.spacing.y), \(mask.spacing.z)) mm"
    }
    let affineDifference = zip(image.affine, mask.affine).map { abs($0 - $1) }.max() ?? 0
    guard affineDifference <= geometryTolerance else {
      return "the image and mask lie differently in space (voxel-to-world affines differ by up to \(affineDifference) mm)"
    }
    return nil
  }

  /// `path` made absolute against `base` (absolute paths are kept).
  static func locate(_ path: String, in base: String) -> String {
    path.hasPrefix("/") ? path : (base == "/" ? "/" : base + "/") + path
  }

  /// The absolute form of an existing directory (symbolic links resolved), or `path` itself.
  static func resolve(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
