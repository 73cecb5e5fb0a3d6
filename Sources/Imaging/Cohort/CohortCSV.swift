// CohortCSV: the cohort.csv table of a cohort directory (DESIGN §4), both ways. Writers (the
// synthetic cohort, the importers) encode records with it; CohortDirectory parses and checks the
// rows with it before it looks at any volume file.

import Common

public enum CohortCSV {
  /// The columns every cohort.csv has, in the order writers put them. Extra columns follow.
  public static let requiredColumns = ["patient_id", "image", "mask", "label", "split"]

  /// The file name of the table inside a cohort directory.
  public static let fileName = "cohort.csv"

  /// cohort.csv text: the header (required columns, then `extraColumns`) and one row per record.
  /// Every record's `extra` must have one value per extra column.
  public static func encode(records: [PatientRecord], extraColumns: [String]) -> String {
    var rows: [[String]] = [requiredColumns + extraColumns]
    rows.reserveCapacity(records.count + 1)
    for record in records {
      precondition(record.extra.count == extraColumns.count,
                   "patient \(record.id): \(record.extra.count) extra values for \(extraColumns.count) extra columns")
      rows.append([record.id, record.image, record.mask, String(record.label), record.split.rawValue] + record.extra)
    }
    return CSV.encode(rows)
  }

  /// Writes cohort.csv atomically to `path`.
  public static func write(records: [PatientRecord], extraColumns: [String], to path: String) throws(FileError) {
    try FileIO.writeAtomically(Array(encode(records: records, extraColumns: extraColumns).utf8), to: path)
  }

  /// The parsed table: extra column names and, per data row in file order, its record or what is
  /// wrong with it (naming `path` and the row's line).
  public struct Table: Sendable {
    public var extraColumns: [String]
    public var rows: [Result<PatientRecord, FileError>]
  }

  /// Parses cohort.csv. Problems with the file as a whole (not CSV, no header, a required column
  /// missing, duplicate column names) throw; a bad row becomes that row's failure, so a caller can
  /// report the first or skip them all. Row checks: the field count, a non-empty id, image and
  /// mask, the label (0 or 1; "0.0" and "1.0" as pandas writes them are accepted), the split
  /// (train, val or test, any letter case) and duplicate ids (the later row is the bad one).
  public static func parse(_ bytes: [UInt8], path: String) throws(FileError) -> Table {
    let records = try CSV.records(bytes, path: path)
    guard let header = records.first else {
      throw FileError(path: path, problem: "the file is empty",
                      hint: "the first line must name the columns \(requiredColumns.joined(separator: ","))")
    }
    let names = header.fields.map { $0.trimmed }
    var seen: [String: Int] = [:]
    for (i, name) in names.enumerated() {
      if let first = seen[name.lowercased()] {
        throw FileError(path: path, place: "line \(header.line)",
                        problem: "columns \(first + 1) and \(i + 1) are both named \"\(name)\"")
      }
      seen[name.lowercased()] = i
    }
    let missing = requiredColumns.filter { seen[$0] == nil }
    guard missing.isEmpty else {
      throw FileError(path: path, place: "line \(header.line)",
                      problem: "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))",
                      hint: "the header must name \(requiredColumns.joined(separator: ",")); it names \(names.joined(separator: ","))")
    }
    let required = requiredColumns.compactMap { seen[$0] }
    let extraIndices = names.indices.filter { !required.contains($0) }
    let extraColumns = extraIndices.map { names[$0] }

    var firstLine: [String: Int] = [:]
    var rows: [Result<PatientRecord, FileError>] = []
    rows.reserveCapacity(records.count - 1)
    for record in records.dropFirst() {
      let row = self.row(record, columns: required, extraIndices: extraIndices, width: names.count, path: path)
      if case .success(let patient) = row {
        if let first = firstLine[patient.id] {
          rows.append(.failure(FileError(path: path, place: "line \(record.line)",
                                         problem: "patient id \"\(patient.id)\" is already used on line \(first)",
                                         hint: "patient ids must be unique")))
          continue
        }
        firstLine[patient.id] = record.line
      }
      rows.append(row)
    }
    return Table(extraColumns: extraColumns, rows: rows)
  }

  /// Checks one data row; `columns` are the indices of the required columns in their order.
  static func row(_ record: CSV.Record, columns: [Int], extraIndices: [Int], width: Int,
                  path: String) -> Result<PatientRecord, FileError> {
    func fail(_ problem: String, hint: String? = nil) -> Result<PatientRecord, FileError> {
      .failure(FileError(path: path, place: "line \(record.line)", problem: problem, hint: hint))
    }
    let fields = record.fields
    guard fields.count == width else {
      return fail("\(fields.count) field\(fields.count == 1 ? "" : "s"), but the header has \(width) columns",
                  hint: "a field holding a comma must be quoted")
    }
    let id = fields[columns[0]].trimmed, image = fields[columns[1]].trimmed, mask = fields[columns[2]].trimmed
    let labelText = fields[columns[3]].trimmed, splitText = fields[columns[4]].trimmed
    guard !id.isEmpty else { return fail("the patient_id is empty") }
    guard !image.isEmpty else { return fail("patient \(id): the image path is empty") }
    guard !mask.isEmpty else { return fail("patient \(id): the mask path is empty") }
    guard let label = Double(labelText).flatMap({ $0 == 0 ? 0 : $0 == 1 ? 1 : nil }) else {
      return fail("patient \(id): label \"\(labelText)\" is not 0 or 1", hint: "label is distant metastasis: 1 yes, 0 no")
    }
    guard let split = Split(rawValue: splitText.lowercased()) else {
      return fail("patient \(id): split \"\(splitText)\" is not train, val or test")
    }
    return .success(PatientRecord(id: id, label: label, split: split, image: image, mask: mask,
                                  extra: extraIndices.map { fields[$0] }, line: record.line))
  }
}

extension String {
  /// Without leading and trailing spaces and tabs.
  var trimmed: String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
    return String(self[first...last])
  }
}
