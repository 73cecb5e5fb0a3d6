// StatusLine: the bottom row: the search prompt while searching, else a notice if there is one,
// else key hints that fit; at the right, the background work's progress bar.

import Imaging

enum StatusLine {
  static func draw(_ state: ExplorerState, into grid: inout CellGrid, rect: Rect) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let ascii = glyphs.isASCII
    grid.fill(rect)
    let progress = WorkProgress(state)
    let progressWidth = progress.isComplete ? 0 : min(34, rect.width / 3)
    let room = rect.width - progressWidth - (progressWidth > 0 ? 1 : 0)

    if let search = state.search {
      var x = rect.x + grid.put("/", x: rect.x, y: rect.y, style: theme.key)
      x += grid.put(search.query, x: x, y: rect.y, limit: room - 2, ascii: ascii)
      grid[x, rect.y] = Style(reverse: true).cell(" ")
      grid.put("   Enter keep  Esc back  \(ascii ? "up/down" : "↑↓") more matches", x: x + 1, y: rect.y,
               style: theme.dim, limit: rect.x + room - x - 1, ascii: ascii)
    } else if let notice = state.notice {
      let style: Style = switch notice.level {
      case .info: .plain
      case .warning: theme.warning
      case .error: theme.error
      }
      grid.put(notice.text, x: rect.x + 1, y: rect.y, style: style, limit: room - 1, ascii: ascii)
    } else {
      var x = rect.x + 1
      for (key, action) in hints(state) {
        let width = key.count + 1 + action.count + 2
        guard x + width <= rect.x + room else { break }
        x += grid.put(key, x: x, y: rect.y, style: theme.key, ascii: ascii)
        x += grid.put(" " + action + "  ", x: x, y: rect.y, style: theme.dim, ascii: ascii)
      }
    }

    if progressWidth > 0, let phase = progress.phase {
      let percent = "\(Int(progress.fraction * 100))%"
      let label = "\(phase) \(percent) "
      let barWidth = max(4, progressWidth - label.count - 2)
      var x = rect.maxX - progressWidth
      x += grid.put(label, x: x, y: rect.y, style: theme.dim, limit: progressWidth, ascii: ascii)
      let left: Character = ascii ? "[" : "▕", right: Character = ascii ? "]" : "▏"
      grid[x, rect.y] = theme.dim.cell(left)
      Bar.draw(progress.fraction, scale: 1, x: x + 1, y: rect.y, width: barWidth, style: theme.progress,
               glyphs: glyphs, into: &grid)
      grid[x + 1 + barWidth, rect.y] = theme.dim.cell(right)
    }
  }

  /// Key hints in order of importance.
  static func hints(_ state: ExplorerState) -> [(String, String)] {
    let nabla = state.profile.unicode ? "\u{2207}f" : "grad"
    var hints: [(String, String)] = [("?", "help"), ("q", "quit"), ("j/k", "patient"), ("[ ]", "slice")]
    if !state.layout.isWide {
      hints.append(("Tab", state.narrowPane == .slices ? "charts" : "slices"))
    }
    hints += [("Space", "feature"), ("b", "baseline"), ("m", "measure"), ("p", "flow"), ("o", nabla), ("v", "A|B"),
              ("w", "window"), ("t", "tumour"), ("s", "sort"), ("f", "split"), ("/", "search")]
    return hints
  }
}
