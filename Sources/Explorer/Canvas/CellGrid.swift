// CellGrid: the explorer's screen contents in memory. Draw functions write cells into it; tests
// read it back as text; the terminal backend paints only the cells that differ from the last
// grid it painted.

import Imaging

/// The explorer's screen contents: rows of cells, row-major, `width` × `height`.
public struct CellGrid: Sendable, Equatable, CustomStringConvertible {
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

  /// The whole grid as text, one line per row (trailing blanks kept), for tests.
  public var text: String {
    (0..<height).map { text(row: $0) }.joined(separator: "\n")
  }

  /// The screen as text (what test failures print).
  public var description: String { "\n" + text }

  /// Whether `needle` occurs anywhere on the screen (within one row).
  public func contains(_ needle: String) -> Bool {
    (0..<height).contains { text(row: $0).contains(needle) }
  }

  /// Row and column of the first occurrence of `needle` (columns count characters), or nil.
  public func find(_ needle: String) -> (x: Int, y: Int)? {
    for y in 0..<height {
      let row = Array(text(row: y))
      let target = Array(needle)
      guard !target.isEmpty, row.count >= target.count else { continue }
      for x in 0...(row.count - target.count) where Array(row[x..<(x + target.count)]) == target {
        return (x, y)
      }
    }
    return nil
  }

  /// Fills `rect` (clipped) with `cell`.
  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let clipped = rect.intersection(Rect(x: 0, y: 0, width: width, height: height))
    guard !clipped.isEmpty else { return }
    for y in clipped.y..<clipped.maxY {
      let base = y * width
      for x in clipped.x..<clipped.maxX { cells[base + x] = cell }
    }
  }

  /// Writes `text` at (x, y) in `style`, at most `limit` columns, clipped to the grid; characters
  /// the terminal could not show in one column become "?". Returns the columns used.
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain,
                           limit: Int = .max, ascii: Bool = false) -> Int {
    var column = x
    for character in text {
      if column - x >= limit { break }
      self[column, y] = style.cell(DisplayText.safe(character, ascii: ascii))
      column += 1
    }
    return column - x
  }

  /// Copies `source` with its top-left corner at (x, y), clipped.
  public mutating func blit(_ source: CellGrid, x: Int, y: Int) {
    for row in 0..<source.height {
      for column in 0..<source.width { self[x + column, y + row] = source[column, row] }
    }
  }

  /// Copies the rows of cells `rows` (as the slice renderer returns them) to (x, y), clipped to `clip`.
  public mutating func blit(_ rows: [[Cell]], x: Int, y: Int, clip: Rect) {
    for (row, cells) in rows.enumerated() where clip.contains(y: y + row) {
      for (column, cell) in cells.enumerated() where clip.contains(x: x + column) {
        self[x + column, y + row] = cell
      }
    }
  }
}

/// A rectangle of cells: columns x ..< x + width, rows y ..< y + height.
public struct Rect: Sendable, Equatable, CustomStringConvertible {
  public var x: Int, y: Int, width: Int, height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
  }

  public var maxX: Int { x + width }
  public var maxY: Int { y + height }
  public var isEmpty: Bool { width == 0 || height == 0 }
  public func contains(x px: Int) -> Bool { px >= x && px < maxX }
  public func contains(y py: Int) -> Bool { py >= y && py < maxY }
  public func contains(x px: Int, y py: Int) -> Bool { contains(x: px) && contains(y: py) }

  public func intersection(_ other: Rect) -> Rect {
    let x0 = max(x, other.x), y0 = max(y, other.y)
    let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
    return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
  }

  /// The rectangle shrunk by `d` cells on every side (a box's interior).
  public func inset(_ d: Int) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }

  public var description: String { "\(width)×\(height)+\(x)+\(y)" }
}
