// Cell: one character cell of text output. The slice renderer produces cells; the explorer's draw
// functions write them into its cell grid; only a backend turns cells into terminal output.

/// A terminal colour: the default, an index of the 256-colour palette, or 24-bit RGB.
public enum TerminalColor: Sendable, Hashable {
  case standard
  case indexed(UInt8)
  case rgb(UInt8, UInt8, UInt8)
}

/// One screen cell: a character (one column wide) and its colours and emphasis.
public struct Cell: Sendable, Hashable {
  public var character: Character
  public var foreground: TerminalColor
  public var background: TerminalColor
  public var bold: Bool
  public var reverse: Bool

  public init(_ character: Character = " ", foreground: TerminalColor = .standard,
              background: TerminalColor = .standard, bold: Bool = false, reverse: Bool = false) {
    self.character = character
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.reverse = reverse
  }

  public static let blank = Cell()
}
