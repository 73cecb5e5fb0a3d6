// The part of `fgf import` shared by its sources: for each patient, check the label first, reuse
// what an interrupted run already wrote, else build the volumes and write them; then labels,
// splits and clinical columns into cohort.csv, a report of what was imported and skipped and why,
// and the rename of the finished directory to the output.

import Common

/// How far an import is, for a progress bar.
public struct ImportProgress: Sendable {
  public var phase: String
  public var done: Int
  public var total: Int
  /// The patient or file being worked on.
  public var item: String
}

/// What an import did.
public struct ImportSummary: Sendable {
  public struct Imported: Sendable {
    public var id: String
    public var label: Int
    public var split: Split
    public var notes: [String]
  }

  public var source: String
  public var output: String
  public var imported: [Imported] = []
  public var skipped: [(id: String, reason: ImportSkip)] = []
  /// Patients taken from an interrupted earlier run.
  public var resumed = 0
  /// Whether labels came from a table (false: every label is 0 and `label_known` says "no").
  public var labelsKnown: Bool
  /// Ids in the label table that no imaged patient matched.
  public var unmatchedLabelRows: [String] = []
  /// Facts about the source (file counts, other modalities, layout).
  public var sourceNotes: [String] = []
  /// The text of import-report.txt.
  public var report = ""

  /// Skipped patients counted by category, largest first.
  public var skipCounts: [(category: ImportSkip.Category, count: Int)] {
    var counts: [ImportSkip.Category: Int] = [:]
    for skip in skipped { counts[skip.reason.category, default: 0] += 1 }
    return counts.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }.map { ($0.key, $0.value) }
  }
}

/// An import stopped on request before it finished; what it wrote stays in `partial`, and
/// running the same import again resumes from there.
public struct ImportCancelled: Error, Sendable, CustomStringConvertible {
  public var partial: String
  public var written: Int
  public var description: String {
    "import interrupted with \(written) patient\(written == 1 ? "" : "s") written to \(partial); run the same command again to resume"
  }
}

/// A patient's volumes as an importer built them.
struct PatientVolumes {
  var image: PatientImage
  var mask: Mask
  /// Values of the importer's detail columns.
  var details: [String]
  var notes: [String]
}

enum CohortImport {
  static let reportName = "import-report.txt"

  /// Runs an import of `patientIDs` into `output` (see the file comment).
  static func run(command: String, source: String, output: String, identity: JSONValue, patientIDs: [String],
                  labels: LabelTable?, seed: UInt64, detailColumns: [String], sourceNotes: [String],
                  progress: (@Sendable (ImportProgress) -> Void)?, cancelled: (@Sendable () -> Bool)?,
                  build: (String) -> Result<PatientVolumes, ImportSkip>) throws -> ImportSummary {
    let cohort = try CohortBuild(output: output, identity: identity)
    var summary = ImportSummary(source: source, output: cohort.output, labelsKnown: labels != nil)
    summary.sourceNotes = sourceNotes
    var done: [CohortBuild.Entry] = []
    for (index, id) in patientIDs.enumerated() {
      if cancelled?() == true { throw ImportCancelled(partial: cohort.partial, written: cohort.entries.count) }
      progress?(ImportProgress(phase: "importing", done: index, total: patientIDs.count, item: id))
      if let labels {
        guard let row = labels.row(for: id) else {
          summary.skipped.append((id, ImportSkip(.noLabel, "not in \(LabelTable.fileName(labels.path))")))
          continue
        }
        if case .failure(let skip) = row.label { summary.skipped.append((id, skip)); continue }
        if case .failure(let skip)? = row.split { summary.skipped.append((id, skip)); continue }
      }
      if let entry = cohort.entry(for: id) {
        done.append(entry)
        continue
      }
      switch build(id) {
      case .failure(let skip):
        summary.skipped.append((id, skip))
      case .success(let volumes):
        done.append(try cohort.write(id: id, image: volumes.image, mask: volumes.mask, details: volumes.details, notes: volumes.notes))
      }
    }
    progress?(ImportProgress(phase: "importing", done: patientIDs.count, total: patientIDs.count, item: ""))
    summary.resumed = cohort.resumedCount
    if let labels { summary.unmatchedLabelRows = labels.unmatched(patientIDs) }

    guard !done.isEmpty else {
      cohort.abandon()
      summary.report = report(command: command, summary: summary, entries: [:])
      return summary
    }

    // Labels, then splits: from the table's split column, else seeded and stratified.
    var labelOf: [String: Int] = [:]
    var splitOf: [String: Split] = [:]
    for entry in done {
      let row = labels?.row(for: entry.id)
      if case .success(let label)? = row?.label { labelOf[entry.id] = label } else { labelOf[entry.id] = 0 }
      if case .success(let split)? = row?.split { splitOf[entry.id] = split }
    }
    if labels?.splitColumn == nil { splitOf = SplitAssignment.assign(labels: labelOf, seed: seed) }

    let tableColumns = labels?.extraColumns ?? []
    let columns = uniqueColumns(tableColumns + detailColumns + (labels == nil ? ["label_known"] : []))
    var records: [PatientRecord] = []
    for entry in done {
      let tableValues = labels?.row(for: entry.id)?.extra ?? []
      let extra = tableValues + entry.details + (labels == nil ? ["no"] : [])
      let split = splitOf[entry.id] ?? .train
      records.append(PatientRecord(id: entry.id, label: labelOf[entry.id] ?? 0, split: split,
                                   image: entry.image, mask: entry.mask, extra: extra, line: 0))
      summary.imported.append(.init(id: entry.id, label: labelOf[entry.id] ?? 0, split: split, notes: entry.notes))
    }
    let entries = Dictionary(uniqueKeysWithValues: done.map { ($0.id, $0) })
    summary.report = report(command: command, summary: summary, entries: entries)
    try cohort.finish(files: [(CohortCSV.fileName, CohortCSV.encode(records: records, extraColumns: columns)),
                              (reportName, summary.report)])
    return summary
  }

  /// Extra column names that do not repeat a required column or each other ("clinical_" and a
  /// number are prefixed and appended when they would).
  static func uniqueColumns(_ names: [String]) -> [String] {
    var taken = Set(CohortCSV.requiredColumns)
    return names.map { name in
      var candidate = name.trimmedSpaces.isEmpty ? "column" : name
      if taken.contains(candidate.lowercased()) { candidate = "clinical_" + candidate }
      var unique = candidate, n = 2
      while taken.contains(unique.lowercased()) { unique = "\(candidate)_\(n)"; n += 1 }
      taken.insert(unique.lowercased())
      return unique
    }
  }

  /// The text of import-report.txt.
  static func report(command: String, summary: ImportSummary, entries: [String: CohortBuild.Entry]) -> String {
    var lines: [String] = []
    lines.append("fgf \(command)")
    lines.append("source: \(summary.source)")
    lines.append("output: \(summary.output)")
    lines.append(contentsOf: summary.sourceNotes)
    lines.append("")
    let positives = summary.imported.filter { $0.label == 1 }.count
    let counts = Split.allCases.map { split in "\(split.rawValue) \(summary.imported.filter { $0.split == split }.count)" }
    lines.append("imported \(summary.imported.count) patient\(summary.imported.count == 1 ? "" : "s")"
                 + (summary.imported.isEmpty ? "" : " (\(counts.joined(separator: ", ")); label 1: \(positives))")
                 + (summary.resumed > 0 ? ", \(summary.resumed) of them written by an earlier, interrupted run" : ""))
    if !summary.labelsKnown && !summary.imported.isEmpty {
      lines.append("no label table was given: every label is 0 and the label_known column says \"no\"; give DM labels before training")
    }
    lines.append("skipped \(summary.skipped.count) patient\(summary.skipped.count == 1 ? "" : "s")"
                 + (summary.skipped.isEmpty ? "" : ": " + summary.skipCounts.map { "\($0.category.rawValue) \($0.count)" }.joined(separator: ", ")))
    if !summary.unmatchedLabelRows.isEmpty {
      let shown = summary.unmatchedLabelRows.prefix(20).joined(separator: ", ")
      lines.append("\(summary.unmatchedLabelRows.count) label table row\(summary.unmatchedLabelRows.count == 1 ? "" : "s") matched no imaged patient: \(shown)\(summary.unmatchedLabelRows.count > 20 ? ", …" : "")")
    }
    lines.append("")
    for patient in summary.imported {
      lines.append("\(patient.id): imported (label \(patient.label), \(patient.split.rawValue))")
      if let entry = entries[patient.id] { lines.append("  \(entry.image), \(entry.mask)") }
      for note in patient.notes { lines.append("  \(note)") }
    }
    for (id, reason) in summary.skipped {
      lines.append("\(id): skipped: \(reason.description)")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
