// Explorer: the terminal front end (DESIGN §7). State and pure draw functions render into a cell
// grid (Imaging's Cell); a thin ncurses backend paints it. This file names the module's entry.

import Imaging

/// The explorer's screen contents: rows of cells, row-major, `width` × `height`.
public struct CellGrid: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = [Cell](repeating: fill, count: self.width * self.height)
  }

  /// The cell at column `x`, row `y`; writes outside the grid are ignored (clipping).
  public subscript(x: Int, y: Int) -> Cell {
    get { (0..<width).contains(x) && (0..<height).contains(y) ? cells[y * width + x] : .blank }
    set { if (0..<width).contains(x) && (0..<height).contains(y) { cells[y * width + x] = newValue } }
  }

  /// Row `y` as plain text (characters only), for tests and logs.
  public func text(row y: Int) -> String {
    String((0..<width).map { self[$0, y].character })
  }
}
