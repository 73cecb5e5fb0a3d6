// InputEvent: what the backend reads from the terminal, independent of curses: keys, mouse
// clicks and wheel, and size changes. Handlers and tests use only these.

/// A key press.
public enum Key: Sendable, Equatable {
  case character(Character)
  /// Ctrl plus a letter (lower case), e.g. Ctrl-L → `.control("l")`.
  case control(Character)
  case up, down, left, right, pageUp, pageDown, home, end
  case enter, escape, tab, backTab, backspace, delete
  case function(Int)
}

public enum MouseAction: Sendable, Equatable { case click, wheelUp, wheelDown }

public enum InputEvent: Sendable, Equatable {
  case key(Key)
  /// A mouse event at column `x`, row `y` of the screen.
  case mouse(MouseAction, x: Int, y: Int)
  case resize(width: Int, height: Int)

  /// A plain character key (convenience for tests and tables).
  public static func char(_ c: Character) -> InputEvent { .key(.character(c)) }

  /// Decodes a byte the terminal sent as a character (after curses has turned escape sequences
  /// into function keys): control bytes become their named keys.
  public static func fromCharacter(_ scalar: Unicode.Scalar) -> InputEvent {
    switch scalar.value {
    case 0x0D, 0x0A: return .key(.enter)
    case 0x09: return .key(.tab)
    case 0x1B: return .key(.escape)
    case 0x7F, 0x08: return .key(.backspace)
    case 0x01...0x1A:
      return .key(.control(Character(Unicode.Scalar(scalar.value + 0x60) ?? "?")))
    default: return .key(.character(Character(scalar)))
    }
  }
}

/// What handling an event caused: which parts of the screen to redraw, and what else to do.
public struct Effect: OptionSet, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let title = Effect(rawValue: 1 << 0)
  public static let list = Effect(rawValue: 1 << 1)
  public static let slices = Effect(rawValue: 1 << 2)
  public static let charts = Effect(rawValue: 1 << 3)
  public static let status = Effect(rawValue: 1 << 4)
  /// Every pane (layout changed, an overlay opened or closed).
  public static let panes: Effect = [.title, .list, .slices, .charts, .status]
  /// Clear the terminal and paint everything again (Ctrl-L, resize).
  public static let repaint = Effect(rawValue: 1 << 5)
  /// What the worker should do next may have changed (patient, baseline, measure, filter).
  public static let work = Effect(rawValue: 1 << 6)
  /// The enabled features changed: recompute Holm adjustments.
  public static let assess = Effect(rawValue: 1 << 7)
  public static let quit = Effect(rawValue: 1 << 8)

  public static let none: Effect = []
}
