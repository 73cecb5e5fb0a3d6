// `fgf import hecktor`: a HECKTOR release (NIfTI CT and label maps, see HecktorLayout) into a
// cohort directory. The CT file is copied as it is; the mask is label 1 (the primary GTV) of the
// label map, which must be on the CT's grid.

import Common

public enum HecktorImport {
  public struct Options: Sendable {
    public var source: String
    public var output: String
    /// The endpoint (or clinical) table with labels; nil: labels unknown.
    public var endpoint: String? = nil
    public var idColumn: String? = "PatientID"
    public var labelColumn = "Relapse"
    public var splitColumn: String? = nil
    public var seed: UInt64 = 0

    public init(source: String, output: String) {
      self.source = source
      self.output = output
    }
  }

  /// The label map value of the primary tumour.
  public static let primaryLabel = 1

  /// `cancelled` is asked before each patient; when it says true the import stops, throwing
  /// ImportCancelled, and can be resumed.
  public static func run(_ options: Options, progress: (@Sendable (ImportProgress) -> Void)? = nil,
                         cancelled: (@Sendable () -> Bool)? = nil) throws -> ImportSummary {
    let labels = try options.endpoint.map { path throws(FileError) in
      try LabelTable(path: path, idColumn: options.idColumn, labelColumn: options.labelColumn, splitColumn: options.splitColumn)
    }
    let source = DICOMImport.absolutePath(options.source)
    let (cases, layout) = try HecktorLayout.cases(in: source)
    var byID: [String: HecktorCase] = [:]
    for item in cases where byID[item.id] == nil { byID[item.id] = item }
    let identity = JSONValue.object([
      (key: "importer", value: .string("hecktor")), (key: "version", value: .number(1)),
      (key: "source", value: .string(source)),
    ])
    let notes = ["layout: \(layout)", "cases: \(byID.count), \(byID.values.filter { $0.label == nil }.count) without a label map"]
    return try CohortImport.run(
      command: "import hecktor", source: source, output: options.output, identity: identity,
      patientIDs: byID.keys.sorted(), labels: labels, seed: options.seed, detailColumns: [],
      sourceNotes: notes, progress: progress, cancelled: cancelled) { id in
        guard let item = byID[id] else { return .failure(ImportSkip(.missingFile, "no files")) }
        return volumes(item)
      }
  }

  /// The CT (to copy) and the primary-GTV mask of one case, or why not.
  static func volumes(_ item: HecktorCase) -> Result<PatientVolumes, ImportSkip> {
    guard let labelPath = item.label else {
      return .failure(ImportSkip(.missingFile, "no label map beside \(item.ct) (expected \(item.id).nii.gz)"))
    }
    do {
      let ct = try NIfTIFile.readHeader(item.ct)
      var mask = try NIfTIFile.readLabelMap(labelPath, label: primaryLabel)
      if let difference = gridDifference(ct.grid, mask.grid) {
        return .failure(ImportSkip(.mismatch, "CT \(item.ct) and label map \(labelPath) are not on the same grid: \(difference)"))
      }
      // Within the tolerance the two are one grid: the mask takes the CT's exactly, as cohorts require.
      mask.grid = ct.grid
      let voxels = mask.voxels.reduce(0) { $0 + Int($1) }
      guard voxels > 0 else {
        return .failure(ImportSkip(.emptyMask, "label map \(labelPath) has no voxel of label \(primaryLabel) (primary GTV)"))
      }
      // The CT is copied as it is, but read whole first so a damaged file is caught here.
      _ = try NIfTIFile.readVolume(item.ct)
      let g = ct.grid
      var notes = ["CT \(g.nx)×\(g.ny)×\(g.nz) voxels of \(formatMM(g.spacing.x))×\(formatMM(g.spacing.y))×\(formatMM(g.spacing.z)) mm from \(item.ct)",
                   "mask: label \(primaryLabel) of \(labelPath), \(voxels) voxels"]
      notes += (ct.notes).map { "note: \($0)" }
      return .success(PatientVolumes(image: .copy(item.ct), mask: mask, details: [], notes: notes))
    } catch {
      return .failure(ImportSkip(.unreadable, error.description))
    }
  }

  /// Why two grids differ (size, or an affine entry by more than 1% of the smallest spacing), nil if they match.
  static func gridDifference(_ a: Grid, _ b: Grid) -> String? {
    guard (a.nx, a.ny, a.nz) == (b.nx, b.ny, b.nz) else {
      return "\(a.nx)×\(a.ny)×\(a.nz) voxels against \(b.nx)×\(b.ny)×\(b.nz)"
    }
    let tolerance = 0.01 * min(a.spacing.x, a.spacing.y, a.spacing.z)
    let worst = (0..<12).map { abs(a.affine[$0] - b.affine[$0]) }.max() ?? 0
    guard worst <= tolerance else {
      return "their affines differ by up to \(formatMM(worst)) mm (tolerance \(formatMM(tolerance)) mm)"
    }
    return nil
  }
}
