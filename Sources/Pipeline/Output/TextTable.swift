// TextTable: columns of text padded to a common width, numbers right-aligned, for the readable
// outputs of `fgf analyze` and `fgf train`. Widths count characters (Unicode scalars are fine
// here: every glyph used is one column wide).

struct TextTable {
  enum Alignment { case left, right }

  private var header: [String]
  private var alignments: [Alignment]
  private var rows: [[String]] = []

  init(_ columns: [(String, Alignment)]) {
    header = columns.map(\.0)
    alignments = columns.map(\.1)
  }

  mutating func add(_ row: [String]) {
    precondition(row.count == header.count, "a table row has one cell per column")
    rows.append(row)
  }

  /// The table as lines (header first), each indented by `indent` and without trailing spaces.
  func lines(indent: String = "  ") -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    return all.map { row in
      let cells = row.indices.map { c -> String in
        let pad = String(repeating: " ", count: widths[c] - row[c].count)
        return alignments[c] == .left ? row[c] + pad : pad + row[c]
      }
      var line = indent + cells.joined(separator: "  ")
      while line.last == " " { line.removeLast() }
      return line
    }
  }
}
