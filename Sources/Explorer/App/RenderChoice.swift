// RenderChoice: which slice rendering mode to use: `--render` if given, else the best the
// environment suggests, in both cases limited to what the opened terminal can show.

enum RenderChoice {
  /// Whether to ask for a 24-bit colour terminfo entry.
  static func wantsDirectColor(_ options: ExplorerOptions) -> Bool { false }

  /// The mode to draw slices with, and a notice when `--render` asked for more than the terminal has.
  static func resolve(options: ExplorerOptions, profile: TerminalProfile) -> (RenderMode, String?) {
    (.ascii, nil)
  }
}
