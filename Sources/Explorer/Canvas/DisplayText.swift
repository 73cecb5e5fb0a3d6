// DisplayText: makes text from files (patient ids, model names, messages) safe to put in one
// terminal column per character: control characters, wide (CJK, emoji) and combining characters
// would shift everything after them, so they are shown as "?"; without UTF-8 only ASCII remains.

public enum DisplayText {
  /// `character` if it takes exactly one column on a terminal, else "?".
  public static func safe(_ character: Character, ascii: Bool) -> Character {
    guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return "?" }
    let v = scalar.value
    if v < 0x20 || (0x7F..<0xA0).contains(v) { return "?" }
    if v < 0x7F { return character }
    if ascii { return "?" }
    return isSingleWidth(v) ? character : "?"
  }

  /// `text` padded with blanks or cut (ending in an ellipsis) to exactly `width` columns.
  public static func fit(_ text: String, _ width: Int, ascii: Bool = false, alignRight: Bool = false) -> String {
    guard width > 0 else { return "" }
    let characters = Array(text)
    if characters.count > width {
      let ellipsis: Character = ascii ? "~" : "…"
      return String(characters.prefix(width - 1)) + String(ellipsis)
    }
    let padding = String(repeating: " ", count: width - characters.count)
    return alignRight ? padding + text : text + padding
  }

  /// Code points that are neither wide nor zero-width on common terminals (a conservative test:
  /// anything doubtful counts as not single-width and is shown as "?").
  private static func isSingleWidth(_ v: UInt32) -> Bool {
    let doubtful: [ClosedRange<UInt32>] = [
      0x0300...0x036F,   // combining diacritics
      0x1100...0x115F,   // Hangul Jamo
      0x200B...0x200F,   // zero-width and direction marks
      0x2028...0x202E, 0x2060...0x206F,
      0x20D0...0x20FF,   // combining marks for symbols
      0x2E80...0xA4CF,   // CJK, Yi
      0xAC00...0xD7A3,   // Hangul syllables
      0xD800...0xDFFF,
      0xE000...0xF8FF,   // private use
      0xF900...0xFAFF, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFE30...0xFE4F,
      0xFF00...0xFF60, 0xFFE0...0xFFE6, 0xFFF0...0xFFFF,
      0x1F000...0x10FFFF, // emoji, supplementary ideographs, tags
    ]
    return !doubtful.contains { $0.contains(v) }
  }
}
