// Style: colours and emphasis for a run of text, and the terminal profile the explorer draws for
// (Unicode or ASCII glyphs, how many colours), from which the glyph set and theme follow.

import Imaging

/// Colours and emphasis of drawn text.
public struct Style: Sendable, Equatable {
  public var foreground: TerminalColor
  public var background: TerminalColor
  public var bold: Bool
  public var reverse: Bool

  public init(_ foreground: TerminalColor = .standard, on background: TerminalColor = .standard,
              bold: Bool = false, reverse: Bool = false) {
    self.foreground = foreground; self.background = background; self.bold = bold; self.reverse = reverse
  }

  public static let plain = Style()

  public func cell(_ character: Character) -> Cell {
    Cell(character, foreground: foreground, background: background, bold: bold, reverse: reverse)
  }

  public var emphasized: Style { var s = self; s.bold = true; return s }
  public var inverted: Style { var s = self; s.reverse.toggle(); return s }
  public func on(_ background: TerminalColor) -> Style { var s = self; s.background = background; return s }
}

/// How many colours the terminal shows (after NO_COLOR).
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
  case none = 0, eight = 8, sixteen = 16, palette256 = 256, direct = 16_777_216

  public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

  /// The depth of a terminal reporting `colors` colours (terminfo `colors`).
  public init(colors: Int) {
    switch colors {
    case ..<8: self = .none
    case 8..<16: self = .eight
    case 16..<256: self = .sixteen
    case 256..<16_777_216: self = .palette256
    default: self = .direct
    }
  }
}

/// What the explorer may use on this terminal.
public struct TerminalProfile: Sendable, Equatable {
  /// The locale is UTF-8: box drawing, blocks and shades are available.
  public var unicode: Bool
  public var colors: ColorDepth

  public init(unicode: Bool, colors: ColorDepth) {
    self.unicode = unicode; self.colors = colors
  }

  public var glyphs: Glyphs { unicode ? .unicode : .ascii }
  public var theme: Theme { Theme(colors: colors) }
}
