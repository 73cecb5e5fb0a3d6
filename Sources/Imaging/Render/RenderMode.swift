// RenderMode: how a slice becomes characters, from the richest (24-bit colour half-blocks) to the
// plainest (an ASCII ramp), and the detection of the best one a terminal offers from its environment.

/// The character and colour repertoire a slice is drawn with.
public enum RenderMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Half-blocks "▀" (foreground = upper pixel, background = lower pixel) in 24-bit RGB.
  case truecolor
  /// Half-blocks in the 256-colour palette's greys (232–255 and the 6×6×6 cube's grey diagonal);
  /// never palette colours 0–15, which terminals redefine.
  case grey256 = "256"
  /// Shade glyphs " ░▒▓█" over the four greys of a 16-colour terminal (black, bright black, white,
  /// bright white), ordered-dithered; one sample per cell.
  case shade16 = "16"
  /// Shade glyphs over black and white only (8-colour terminals); one sample per cell.
  case shade8 = "8"
  /// ASCII blanks whose background is a 256-colour grey: colour without UTF-8; one sample per cell.
  case greyBlanks = "blanks"
  /// The ASCII ramp " .:-=+*#%@" without colour (no UTF-8, dumb terminals, NO_COLOR, plain files).
  case ascii

  public var description: String { rawValue }

  /// Two pixels per cell (upper and lower half) instead of one.
  public var usesHalfBlocks: Bool { self == .truecolor || self == .grey256 }
  /// Output needs a UTF-8 locale.
  public var needsUnicode: Bool { self != .greyBlanks && self != .ascii }
  /// Output uses colour escapes.
  public var usesColour: Bool { self != .ascii }

  /// The best mode for a terminal described by `environment` (the process environment):
  /// - `ascii` when TERM is unset, `dumb` or `vt100`-like, or NO_COLOR is set (non-empty);
  /// - without a UTF-8 locale (LC_ALL, else LC_CTYPE, else LANG): `greyBlanks` when the terminal
  ///   has at least 256 colours, else `ascii`;
  /// - `truecolor` when COLORTERM is `truecolor`/`24bit` or TERM ends in `-direct`;
  /// - `grey256` when TERM mentions `256color`; `shade16` otherwise.
  public static func detect(environment: [String: String]) -> RenderMode {
    let term = (environment["TERM"] ?? "").lowercased()
    let dumb = term.isEmpty || term == "dumb" || term.hasPrefix("vt100") || term.hasPrefix("vt52")
    let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
    if dumb || noColour { return .ascii }
    let colorterm = (environment["COLORTERM"] ?? "").lowercased()
    let truecolor = colorterm == "truecolor" || colorterm == "24bit" || term.hasSuffix("-direct")
    let has256 = truecolor || term.contains("256color")
    if !localeIsUTF8(environment) { return has256 ? .greyBlanks : .ascii }
    if truecolor { return .truecolor }
    if has256 { return .grey256 }
    return .shade16
  }

  /// Whether the effective character-type locale is UTF-8 (POSIX precedence LC_ALL, LC_CTYPE, LANG;
  /// an unset or "C"/"POSIX" locale is not).
  public static func localeIsUTF8(_ environment: [String: String]) -> Bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { name -> String? in
      guard let value = environment[name], !value.isEmpty else { return nil }
      return value
    }.first ?? ""
    let upper = locale.uppercased()
    return upper.contains("UTF-8") || upper.contains("UTF8")
  }

  /// Parses a mode name as the command line spells it: truecolor|24bit, 256, 16, 8, blanks, ascii.
  public init?(parsing text: String) {
    switch text.lowercased() {
    case "truecolor", "truecolour", "24bit", "24-bit", "rgb": self = .truecolor
    case "256", "grey256", "gray256": self = .grey256
    case "16", "shade16": self = .shade16
    case "8", "shade8": self = .shade8
    case "blanks", "greyblanks": self = .greyBlanks
    case "ascii", "plain", "none": self = .ascii
    default: return nil
    }
  }
}
