// Screen: draws the whole explorer (or only the parts named by an Effect) from the state into a
// cell grid. Pure: the same state always gives the same cells; nothing here touches a terminal.

import Foundation
import Imaging

public enum Screen {
  /// The full screen for `state`.
  public static func draw(_ state: ExplorerState) -> CellGrid {
    var grid = CellGrid(width: state.width, height: state.height)
    draw(state, into: &grid, parts: .panes)
    return grid
  }

  /// Redraws `parts` of `grid` (which must have the state's size) from `state`.
  public static func draw(_ state: ExplorerState, into grid: inout CellGrid, parts: Effect) {
    let layout = state.layout
    if layout.tooSmall {
      grid.fill(Rect(x: 0, y: 0, width: grid.width, height: grid.height))
      TooSmallScreen.draw(state, into: &grid)
      return
    }
    // The help overlay covers parts of every pane: draw everything under it.
    let parts: Effect = state.helpVisible ? .panes : parts
    if parts.contains(.title) { TitleBar.draw(state, into: &grid, rect: layout.titleRow) }
    if parts.contains(.list) { PatientListPane.draw(state, into: &grid, rect: layout.list) }
    if layout.isWide {
      if parts.contains(.slices) { SlicePane.draw(state, into: &grid, rect: layout.slices) }
      if parts.contains(.charts) { ChartPane.draw(state, into: &grid, rect: layout.charts) }
    } else if state.narrowPane == .slices {
      if parts.contains(.slices) { SlicePane.draw(state, into: &grid, rect: layout.slices) }
    } else if parts.contains(.charts) {
      ChartPane.draw(state, into: &grid, rect: layout.charts)
    }
    if parts.contains(.status) { StatusLine.draw(state, into: &grid, rect: layout.statusRow) }
    if state.helpVisible { HelpOverlay.draw(state, into: &grid) }
  }

  /// The effect on the screen of a change of pane in narrow layouts: the shared pane is
  /// whichever of slices and charts is visible.
  public static func visibleParts(_ parts: Effect, state: ExplorerState) -> Effect {
    guard !state.layout.isWide else { return parts }
    var visible = parts
    if state.narrowPane == .slices, parts.contains(.charts) { visible.remove(.charts) }
    if state.narrowPane == .charts, parts.contains(.slices) { visible.remove(.slices) }
    return visible
  }
}

/// "Terminal too small": what to do about it, centred.
enum TooSmallScreen {
  static func draw(_ state: ExplorerState, into grid: inout CellGrid) {
    let theme = state.profile.theme
    let lines = [
      "Terminal too small: \(state.width)×\(state.height)",
      "fgf needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight).",
      "Enlarge the window, or press q to quit.",
    ].map { state.profile.unicode ? $0 : $0.replacingOccurrences(of: "×", with: "x") }
    let top = max(0, (state.height - lines.count) / 2)
    for (index, line) in lines.enumerated() {
      let x = max(0, (state.width - line.count) / 2)
      grid.put(line, x: x, y: top + index, style: index == 0 ? theme.warning : .plain,
               limit: state.width, ascii: !state.profile.unicode)
    }
  }
}
