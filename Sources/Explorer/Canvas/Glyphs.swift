// Glyphs: the characters of boxes, bars, markers and pointers, in Unicode and in plain ASCII for
// terminals without a UTF-8 locale (LANG=C) or without line drawing (vt100).

public struct Glyphs: Sendable, Equatable {
  public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
  public var horizontal: Character, vertical: Character
  /// Partial cells of a horizontal bar: index i fills i eighths (0 = blank … 8 = full).
  public var eighths: [Character]
  /// Noise level marker, and the CI whisker's ends and middle.
  public var marker: Character
  public var whiskerLeft: Character, whiskerRight: Character, whisker: Character
  public var pointer: Character
  public var ellipsis: Character
  public var sortDescending: Character, sortAscending: Character
  public var scrollUp: Character, scrollDown: Character
  public var middleDot: Character
  /// Sparkline heights, lowest first (the flow paths' values).
  public var sparkLevels: [Character]
  public var isASCII: Bool

  /// How many bar steps one cell holds (8 with eighth blocks, 1 in ASCII).
  public var barSteps: Int { eighths.count - 1 }

  public static let unicode = Glyphs(
    topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│",
    eighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
    marker: "┃", whiskerLeft: "├", whiskerRight: "┤", whisker: "─",
    pointer: "▶", ellipsis: "…", sortDescending: "▼", sortAscending: "▲",
    scrollUp: "▲", scrollDown: "▼", middleDot: "·",
    sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], isASCII: false)

  public static let ascii = Glyphs(
    topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|",
    eighths: [" ", "#"],
    marker: "|", whiskerLeft: "[", whiskerRight: "]", whisker: "-",
    pointer: ">", ellipsis: "~", sortDescending: "v", sortAscending: "^",
    scrollUp: "^", scrollDown: "v", middleDot: ".",
    sparkLevels: ["_", ".", "-", "=", "^"], isASCII: true)
}
