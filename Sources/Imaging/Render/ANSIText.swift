// ANSIText: rows of cells as text for a terminal (SGR colour escapes, reset at every line end so a
// cut-off or scrolled line never bleeds colour) or as plain characters.

public enum ANSIText {
  /// Each row followed by "\n". Plain characters for `.ascii`; otherwise SGR escapes, emitted only
  /// when a cell's colours or emphasis differ from the previous cell's, and "ESC[0m" at line ends.
  public static func encode(_ rows: [[Cell]], mode: RenderMode) -> String {
    var text = ""
    for row in rows {
      if !mode.usesColour {
        text.append(String(row.map(\.character)))
        text.append("\n")
        continue
      }
      var current: Cell? = nil
      for cell in row {
        if !(current.map { sameStyle($0, cell) } ?? false) {
          text.append(sgr(for: cell))
          current = cell
        }
        text.append(cell.character)
      }
      text.append("\u{1B}[0m\n")
    }
    return text
  }

  static func sameStyle(_ a: Cell, _ b: Cell) -> Bool {
    a.foreground == b.foreground && a.background == b.background && a.bold == b.bold && a.reverse == b.reverse
  }

  /// The complete SGR sequence selecting `cell`'s attributes (starting from a reset).
  static func sgr(for cell: Cell) -> String {
    var codes = ["0"]
    if cell.bold { codes.append("1") }
    if cell.reverse { codes.append("7") }
    codes.append(contentsOf: colourCodes(cell.foreground, background: false))
    codes.append(contentsOf: colourCodes(cell.background, background: true))
    return "\u{1B}[" + codes.joined(separator: ";") + "m"
  }

  /// SGR parameters of a colour: 30–37/90–97 (40–47/100–107) for palette 0–15, 38;5;n (48;5;n)
  /// for 16–255, 38;2;r;g;b (48;2;r;g;b) for RGB; nothing for the default colour.
  static func colourCodes(_ colour: TerminalColor, background: Bool) -> [String] {
    switch colour {
    case .standard:
      return []
    case .indexed(let n) where n < 8:
      return [String((background ? 40 : 30) + Int(n))]
    case .indexed(let n) where n < 16:
      return [String((background ? 100 : 90) + Int(n) - 8)]
    case .indexed(let n):
      return [background ? "48" : "38", "5", String(n)]
    case .rgb(let r, let g, let b):
      return [background ? "48" : "38", "2", String(r), String(g), String(b)]
    }
  }
}
