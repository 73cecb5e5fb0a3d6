// PatientListPane: the patient list: id, DM label, each model's risk and the split, the sort
// column marked in the header, the selection highlighted and scroll marks when rows are hidden.

import Imaging
import Pipeline

enum PatientListPane {
  static func draw(_ state: ExplorerState, into grid: inout CellGrid, rect: Rect) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let ascii = glyphs.isASCII
    grid.fill(rect)
    let list = state.list
    let position = list.count == 0 ? "0" : "\(list.selection + 1)/\(list.count)"
    let inner = grid.box(rect, title: "Patients", note: position, style: theme.border,
                         titleStyle: theme.header, glyphs: glyphs)
    guard inner.width > 0, inner.height > 0 else { return }

    let columns = Columns(width: inner.width, models: state.overview.models.map(\.label))
    grid.put(columns.header(sort: list.sort, descending: list.descending, glyphs: glyphs),
             x: inner.x, y: inner.y, style: theme.header, limit: inner.width, ascii: ascii)

    if list.count == 0 {
      let why = list.splitFilter.map { "no patients in the \($0.rawValue) split (f: filter)" } ?? "no patients"
      grid.put(why, x: inner.x + 1, y: inner.y + 2, style: theme.dim, limit: inner.width - 1, ascii: ascii)
      return
    }
    let rows = state.layout.listRows
    for row in 0..<min(rows, list.count - list.top) {
      let position = list.top + row
      let patient = list.order[position]
      let record = state.overview.patients[patient]
      let risks = (0..<state.overview.models.count).map { state.results.risk(patient: patient, model: $0) }
      let selected = position == list.selection
      let text = columns.row(record: record, risks: risks, selected: selected, glyphs: glyphs)
      let style = selected ? theme.selected : .plain
      grid.put(text, x: inner.x, y: inner.y + 1 + row, style: style, limit: inner.width, ascii: ascii)
      if !selected && record.label == 1 {
        grid.put("1", x: inner.x + columns.labelColumn, y: inner.y + 1 + row, style: theme.warning)
      }
    }
    // Scroll marks on the frame when rows are hidden above or below.
    if list.top > 0 { grid[rect.maxX - 2, rect.y] = theme.border.cell(glyphs.scrollUp) }
    if list.top + rows < list.count { grid[rect.maxX - 2, rect.maxY - 1] = theme.border.cell(glyphs.scrollDown) }
  }

  /// Column widths of the list for an inner width: pointer, id (what is left), DM, risks, split.
  struct Columns {
    let idWidth: Int
    let models: [String]
    static let riskWidth = 4, splitWidth = 5

    init(width: Int, models: [String]) {
      self.models = models
      let fixed = 1 + 1 + 2 + models.count * (1 + Self.riskWidth) + 1 + Self.splitWidth
      idWidth = max(4, width - fixed)
    }

    /// Column of the DM label within the row.
    var labelColumn: Int { 1 + idWidth + 1 + 1 }

    func header(sort: SortColumn, descending: Bool, glyphs: Glyphs) -> String {
      let arrow = String(descending ? glyphs.sortDescending : glyphs.sortAscending)
      func mark(_ column: SortColumn, _ text: String) -> String { column == sort ? text + arrow : text }
      var line = " " + DisplayText.fit(mark(.id, "id"), idWidth) + " " + DisplayText.fit(mark(.label, "DM"), 2)
      for (index, label) in models.enumerated() {
        line += " " + DisplayText.fit(mark(.risk(model: index), label), Self.riskWidth, alignRight: true)
      }
      return line + " " + DisplayText.fit(mark(.split, "split"), Self.splitWidth)
    }

    func row(record: PatientRecord, risks: [Result<Double, ExploreProblem>?], selected: Bool, glyphs: Glyphs) -> String {
      var line = String(selected ? glyphs.pointer : " ")
      line += DisplayText.fit(record.id, idWidth, ascii: glyphs.isASCII)
      line += "  " + String(record.label)
      for risk in risks {
        let text: String
        switch risk {
        case .success(let value)?: text = Format.fixed(value, digits: 2)
        case .failure?: text = "err"
        case nil: text = String(glyphs.middleDot)
        }
        line += " " + DisplayText.fit(text, Self.riskWidth, alignRight: true)
      }
      return line + " " + DisplayText.fit(record.split.rawValue, Self.splitWidth)
    }
  }
}
