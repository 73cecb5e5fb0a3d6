// Bar: horizontal bars in eighth-cell steps (one-cell steps in ASCII), point markers and CI
// whiskers on a shared scale, and the choice of a round scale maximum.

import Imaging

package enum Bar {
  /// Bar length of `value` on [0, scale] over `width` cells, in steps (eighths of a cell).
  package static func steps(_ value: Double, scale: Double, width: Int, glyphs: Glyphs) -> Int {
    guard value.isFinite, scale > 0, width > 0 else { return 0 }
    let total = width * glyphs.barSteps
    return min(total, max(0, Int((value / scale * Double(total)).rounded())))
  }

  /// The cell (0 ..< width) holding the point `value` on [0, scale].
  package static func column(_ value: Double, scale: Double, width: Int) -> Int {
    guard value.isFinite, scale > 0, width > 0 else { return 0 }
    return min(width - 1, max(0, Int(value / scale * Double(width))))
  }

  /// Draws a bar of `value` at (x, y) over `width` cells.
  package static func draw(_ value: Double, scale: Double, x: Int, y: Int, width: Int, style: Style,
                   glyphs: Glyphs, into grid: inout CellGrid) {
    let steps = steps(value, scale: scale, width: width, glyphs: glyphs)
    let full = steps / glyphs.barSteps, rest = steps % glyphs.barSteps
    for column in 0..<full { grid[x + column, y] = style.cell(glyphs.eighths[glyphs.barSteps]) }
    if rest > 0 { grid[x + full, y] = style.cell(glyphs.eighths[rest]) }
  }

  /// Puts `character` in `style` over the cell at (x, y), keeping the bar's colour behind it when
  /// the cell is a full bar block, so the mark reads as lying on the bar.
  package static func mark(_ character: Character, style: Style, x: Int, y: Int, glyphs: Glyphs,
                   into grid: inout CellGrid) {
    let under = grid[x, y]
    var cell = style.cell(character)
    if under.character == glyphs.eighths[glyphs.barSteps] && !glyphs.isASCII {
      cell.background = under.foreground
    }
    grid[x, y] = cell
  }

  /// Draws a CI whisker from `low` to `high` on the row.
  package static func whisker(low: Double, high: Double, scale: Double, x: Int, y: Int, width: Int,
                      style: Style, glyphs: Glyphs, into grid: inout CellGrid) {
    let a = column(low, scale: scale, width: width), b = column(high, scale: scale, width: width)
    guard b > a else {
      mark(glyphs.vertical, style: style, x: x + a, y: y, glyphs: glyphs, into: &grid)
      return
    }
    for column in a...b {
      let character = column == a ? glyphs.whiskerLeft : column == b ? glyphs.whiskerRight : glyphs.whisker
      mark(character, style: style, x: x + column, y: y, glyphs: glyphs, into: &grid)
    }
  }

  /// A round upper end for a scale holding `maximum` (≥ 0.01): 1, 2, 2.5 or 5 times a power of ten.
  package static func niceScale(_ maximum: Double) -> Double {
    guard maximum.isFinite, maximum > 0.01 else { return 0.01 }
    var decade = 1.0
    while decade > maximum { decade /= 10 }
    while decade * 10 < maximum { decade *= 10 }
    for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where decade * factor >= maximum { return decade * factor }
    return decade * 10
  }
}
