// Sparkline: one feature's values along a gradient-flow path drawn as a row of height glyphs
// (▁…█, or _.-=^ in ASCII), scaled to the path's own range, with the column of x itself (the
// path's centre) shown in reverse video. Also the change along the path in digits.

import Pipeline

package enum Sparkline {
  /// One column of a sparkline: its height level (nil where the value is undefined) and whether
  /// x itself (the path's centre) falls in it.
  package struct Column: Equatable, Sendable {
    package var level: Int?
    package var isCentre: Bool
  }

  /// The columns for `values` (centre index `centre`) in at most `width` cells with `levels`
  /// heights. One column per point when they fit (not stretched: every path reads at the same
  /// pace); otherwise points are averaged into `width` columns. A flat path sits at mid height.
  package static func columns(_ values: [Double?], centre: Int, width: Int, levels: Int) -> [Column] {
    guard width > 0, levels > 0, !values.isEmpty else { return [] }
    let count = min(width, values.count)
    // Points per column: [start, end) of the path for column c.
    func range(_ c: Int) -> Range<Int> { (c * values.count / count)..<((c + 1) * values.count / count) }
    let averaged: [Double?] = (0..<count).map { c in
      let defined = values[range(c)].compactMap { $0 }.filter(\.isFinite)
      return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
    }
    let defined = averaged.compactMap { $0 }
    let low = defined.min() ?? 0, high = defined.max() ?? 0
    let span = high - low
    let flat = span <= 1e-9 * max(1, abs(low), abs(high))
    return (0..<count).map { c in
      let level = averaged[c].map { value -> Int in
        if flat { return (levels - 1) / 2 }
        let position = (value - low) / span * Double(levels - 1)
        return min(levels - 1, max(0, Int(position.rounded())))
      }
      return Column(level: level, isCentre: range(c).contains(centre))
    }
  }

  /// Draws the sparkline of `values` at (x, y) in at most `width` cells.
  static func draw(_ values: [Double?], centre: Int, x: Int, y: Int, width: Int, style: Style,
                   glyphs: Glyphs, into grid: inout CellGrid) {
    let levels = glyphs.sparkLevels
    for (offset, column) in columns(values, centre: centre, width: width, levels: levels.count).enumerated() {
      let character = column.level.map { levels[$0] } ?? " "
      grid[x + offset, y] = (column.isCentre ? style.inverted : style).cell(character)
    }
  }

  /// The change from the end of the descent to the end of the ascent: in per cent of the value
  /// at x ("+12%"), or in the feature's units where that value is zero or undefined ("-0.31").
  /// Nil when either end is undefined.
  package static func change(_ values: [Double?], centre: Int) -> String? {
    guard let first = values.first ?? nil, let last = values.last ?? nil, first.isFinite, last.isFinite else {
      return nil
    }
    let delta = last - first
    // The sign is spelled out even where the digits round to zero: the direction is the point.
    let sign = delta > 0 ? "+" : delta < 0 ? "-" : ""
    if centre >= 0, centre < values.count, let atX = values[centre], atX.isFinite, atX != 0 {
      let percent = abs(delta / atX * 100)
      if percent < 10_000 {
        return sign + Format.fixed(percent, digits: percent >= 10 ? 0 : percent >= 1 ? 1 : 2) + "%"
      }
    }
    return sign + Format.general(abs(delta))
  }
}
