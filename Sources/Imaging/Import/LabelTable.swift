// The table an import takes labels (and optionally splits and clinical columns) from: a CSV with
// a patient-id column, a label column and an optional split column, chosen by name. Patients are
// matched by id exactly, then ignoring letter case, then ignoring the difference between "-"
// and "_" (HECKTOR writes both). Every other column is carried into cohort.csv.

import Common

public struct LabelTable: Sendable {
  public struct Row: Sendable {
    /// The label, or why there is none usable.
    public var label: Result<Int, ImportSkip>
    /// The split from the split column, or why it is not usable; nil without a split column.
    public var split: Result<Split, ImportSkip>?
    /// Values of `extraColumns`.
    public var extra: [String]
    public var line: Int
  }

  public var path: String
  public var idColumn: String
  public var labelColumn: String
  public var splitColumn: String?
  /// The other columns, in file order.
  public var extraColumns: [String]
  /// Rows by id as written in the file.
  public var rows: [String: Row]

  /// Reads `path`. `idColumn` defaults to the first column; `labelColumn` must exist. Column
  /// names match exactly, else ignoring letter case and surrounding spaces.
  public init(path: String, idColumn: String?, labelColumn: String, splitColumn: String?) throws(FileError) {
    let records = try CSV.records(FileIO.read(path, limit: 1 << 30), path: path)
    guard let header = records.first else { throw FileError(path: path, problem: "the file is empty") }
    let names = header.fields
    func column(_ name: String, option: String) throws(FileError) -> Int {
      if let exact = names.firstIndex(of: name) { return exact }
      let wanted = name.lowercased().trimmedSpaces
      if let loose = names.firstIndex(where: { $0.lowercased().trimmedSpaces == wanted }) { return loose }
      throw FileError(path: path, place: "line \(header.line)", problem: "has no column \"\(name)\" (\(option))",
                      hint: "the columns are: \(names.joined(separator: ", "))")
    }
    let idIndex = try idColumn.map { name throws(FileError) in try column(name, option: "--id-column") } ?? 0
    let labelIndex = try column(labelColumn, option: "--label-column")
    let splitIndex = try splitColumn.map { name throws(FileError) in try column(name, option: "--split-column") }
    let used = Set([idIndex, labelIndex] + (splitIndex.map { [$0] } ?? []))
    let extraIndices = names.indices.filter { !used.contains($0) }

    self.path = path
    self.idColumn = names[idIndex]
    self.labelColumn = names[labelIndex]
    self.splitColumn = splitIndex.map { names[$0] }
    self.extraColumns = extraIndices.map { names[$0] }
    var rows: [String: Row] = [:]
    for record in records.dropFirst() {
      guard record.fields.count == names.count else {
        throw FileError(path: path, place: "line \(record.line)",
                        problem: "has \(record.fields.count) fields where the header has \(names.count)")
      }
      let id = record.fields[idIndex].trimmedSpaces
      guard !id.isEmpty else { continue }
      if let earlier = rows[id] {
        throw FileError(path: path, place: "line \(record.line)", problem: "patient \"\(id)\" is also on line \(earlier.line)",
                        hint: "one row per patient")
      }
      let place = "\(LabelTable.fileName(path)) line \(record.line)"
      let labelName = names[labelIndex], splitName = splitIndex.map { names[$0] } ?? "split"
      let labelText = record.fields[labelIndex]
      let label: Result<Int, ImportSkip> = LabelTable.parseLabel(labelText).map { .success($0) }
        ?? .failure(ImportSkip(.noLabel, labelText.trimmedSpaces.isEmpty
          ? "\(labelName) is empty (\(place))"
          : "\(labelName) \"\(labelText)\" is not 0 or 1 (\(place))"))
      let split = splitIndex.map { index -> Result<Split, ImportSkip> in
        LabelTable.parseSplit(record.fields[index]).map { .success($0) }
          ?? .failure(ImportSkip(.badSplit, "\(splitName) \"\(record.fields[index])\" is not train, val or test (\(place))"))
      }
      rows[id] = Row(label: label, split: split, extra: extraIndices.map { record.fields[$0] }, line: record.line)
    }
    self.rows = rows
  }

  /// The row of patient `id`: exact, then ignoring case, then ignoring "-" versus "_".
  public func row(for id: String) -> Row? {
    if let exact = rows[id] { return exact }
    let lower = id.lowercased()
    if let key = rows.keys.sorted().first(where: { $0.lowercased() == lower }) { return rows[key] }
    let loose = LabelTable.loose(id)
    if let key = rows.keys.sorted().first(where: { LabelTable.loose($0) == loose }) { return rows[key] }
    return nil
  }

  /// Ids of the table no imaged patient matched, for the report.
  public func unmatched(_ ids: [String]) -> [String] {
    var matched: Set<String> = []
    for id in ids {
      if rows[id] != nil { matched.insert(id); continue }
      if let key = rows.keys.sorted().first(where: { $0.lowercased() == id.lowercased() || LabelTable.loose($0) == LabelTable.loose(id) }) {
        matched.insert(key)
      }
    }
    return rows.keys.filter { !matched.contains($0) }.sorted()
  }

  /// 0 or 1 from the ways tables write a binary outcome: 0/1 (also 0.0/1.0), true/false,
  /// yes/no, y/n, and M0/M1 (TNM distant-metastasis stage); nil for anything else.
  public static func parseLabel(_ text: String) -> Int? {
    switch text.trimmedSpaces.lowercased() {
    case "1", "1.0", "true", "yes", "y", "m1": return 1
    case "0", "0.0", "false", "no", "n", "m0": return 0
    default: return nil
    }
  }

  /// train/val/test, also training, validation, valid, testing; nil for anything else.
  public static func parseSplit(_ text: String) -> Split? {
    switch text.trimmedSpaces.lowercased() {
    case "train", "training": return .train
    case "val", "valid", "validation": return .val
    case "test", "testing": return .test
    default: return nil
    }
  }

  static func loose(_ id: String) -> String { id.lowercased().replacingAll("_", with: "-") }

  static func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }
}

extension String {
  /// Without leading and trailing spaces, tabs and line breaks.
  var trimmedSpaces: String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }

  func replacingAll(_ target: Character, with replacement: Character) -> String {
    String(map { $0 == target ? replacement : $0 })
  }
}
