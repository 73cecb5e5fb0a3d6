// TitleBar: the top row: the cohort, how many patients are listed, and the models compared.

import Imaging

enum TitleBar {
  static func draw(_ state: ExplorerState, into grid: inout CellGrid, rect: Rect) {
    let theme = state.profile.theme
    let ascii = !state.profile.unicode
    let dot = state.profile.glyphs.middleDot
    grid.fill(rect, with: theme.title.cell(" "))
    let overview = state.overview
    let filter = state.list.splitFilter.map { " \(dot) \($0.rawValue) split: \(state.list.count)" } ?? ""
    let left = " fgf \(dot) \(overview.cohortName) \(dot) \(overview.patients.count) patients\(filter)"
    let models = overview.models.map { "\($0.label): \($0.name)" }.joined(separator: "   ")
    let right = models.isEmpty ? "no models " : models + " "
    let used = grid.put(left, x: rect.x, y: rect.y, style: theme.title, limit: rect.width, ascii: ascii)
    let room = rect.width - used - 2
    if room > 8 {
      let shown = DisplayText.fit(right, min(right.count, room), ascii: ascii)
      grid.put(shown, x: rect.maxX - shown.count, y: rect.y, style: theme.title, ascii: ascii)
    }
  }
}
