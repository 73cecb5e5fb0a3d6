// HelpOverlay: every key, grouped, in a box over the middle of the screen (`?` opens it, any key
// closes it). Two columns when the screen is wide enough, one otherwise (cut to fit).

import Foundation
import Imaging

enum HelpOverlay {
  /// Key groups: title, then (keys, what they do).
  static let groups: [(String, [(String, String)])] = [
    ("Patients", [
      ("j k Down Up", "next / previous"),
      ("PgDn PgUp", "page down / up"),
      ("g G", "first / last"),
      ("/", "search id (Enter, Esc)"),
      ("n N", "next / previous match"),
      ("s S", "sort / reverse order"),
      ("f", "split: all/train/val/test"),
    ]),
    ("Slices", [
      ("] [  l h", "slice up / down"),
      ("t", "tumour centre slice"),
      ("w", "window soft/bone/lung"),
      ("c", "GTV outline"),
      ("x", "model-input crop box"),
      ("z", "zoom to the crop"),
      ("o", "\u{2207}f overlay off/A/B"),
      ("v", "A and B side by side"),
    ]),
    ("Charts", [
      ("Space 1-9 0", "toggle a feature"),
      ("J K", "feature cursor"),
      ("a", "all features on/off"),
      ("b", "noise baseline"),
      ("m", "alignment measure"),
      ("p", "flow path sparklines"),
    ]),
    ("Screen", [
      ("Tab", "slices / charts"),
      ("^L", "repaint"),
      ("mouse", "wheel, click"),
      ("? q", "help / quit"),
    ]),
  ]

  static func draw(_ state: ExplorerState, into grid: inout CellGrid) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let ascii = glyphs.isASCII
    let keyWidth = state.width >= 120 ? 16 : 12, textWidth = state.width >= 120 ? 30 : 24
    let columnWidth = keyWidth + textWidth
    let twoColumns = state.width >= 2 * columnWidth + 7
    // Lay the groups out in one or two columns.
    var columns: [[(String, String, Bool)]] = [[], []]
    for (index, group) in groups.enumerated() {
      let target = twoColumns && index >= 2 ? 1 : 0
      if !columns[target].isEmpty { columns[target].append(("", "", false)) }
      columns[target].append((group.0, "", true))
      for (keys, action) in group.1 { columns[target].append((keys, action, false)) }
    }
    let lines = max(columns[0].count, columns[1].count)
    let width = min(state.width - 2, (twoColumns ? 2 * columnWidth + 3 : columnWidth) + 4)
    let height = min(state.height - 2, lines + 4)
    let rect = Rect(x: (state.width - width) / 2, y: (state.height - height) / 2, width: width, height: height)
    grid.fill(rect)
    let inner = grid.box(rect, title: "Help", note: "any key closes", style: theme.focusedBorder,
                         titleStyle: theme.header, glyphs: glyphs)
    for (c, column) in columns.enumerated() {
      let x = inner.x + 1 + c * (columnWidth + 3)
      for (row, entry) in column.enumerated() where row + 1 < inner.height {
        let y = inner.y + 1 + row
        if entry.2 {
          grid.put(entry.0, x: x, y: y, style: theme.header, limit: inner.maxX - x, ascii: ascii)
        } else {
          grid.put(entry.0, x: x, y: y, style: theme.key, limit: min(keyWidth, inner.maxX - x), ascii: ascii)
          let text = ascii ? entry.1.replacingOccurrences(of: "\u{2207}f", with: "grad") : entry.1
          grid.put(text, x: x + keyWidth, y: y, limit: max(0, inner.maxX - x - keyWidth), ascii: ascii)
        }
      }
    }
  }
}
