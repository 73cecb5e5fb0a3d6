// RenderChoice: which slice rendering mode to use: `--render` if given, else the best the
// environment suggests (Imaging's RenderMode.detect), in both cases limited to what the opened
// terminal can really show (its colours after NO_COLOR, and whether the locale is UTF-8).

import Imaging

package enum RenderChoice {
  /// The mode asked for: `--render`, else detected from the environment.
  package static func requested(_ options: ExplorerOptions) -> RenderMode {
    options.render ?? RenderMode.detect(environment: options.environment)
  }

  /// Whether to ask for a 24-bit colour terminfo entry.
  package static func wantsDirectColor(_ options: ExplorerOptions) -> Bool { requested(options) == .truecolor }

  /// The mode to draw slices with, and a notice when `--render` asked for more than the terminal has.
  package static func resolve(options: ExplorerOptions, profile: TerminalProfile) -> (RenderMode, String?) {
    let wanted = requested(options)
    let mode = fit(wanted, to: profile)
    guard let explicit = options.render, mode != explicit else { return (mode, nil) }
    return (mode, "--render \(explicit): this terminal cannot show it; slices use \(mode)")
  }

  /// The richest mode not above `mode` that `profile` can show.
  package static func fit(_ mode: RenderMode, to profile: TerminalProfile) -> RenderMode {
    let colors = profile.colors
    if colors == .none { return .ascii }
    if !profile.unicode { return mode == .ascii || colors < .palette256 ? .ascii : .greyBlanks }
    switch mode {
    case .truecolor where colors == .direct: return .truecolor
    case .truecolor, .grey256: return colors >= .palette256 ? .grey256 : colors >= .sixteen ? .shade16 : .shade8
    case .shade16: return colors >= .sixteen ? .shade16 : .shade8
    case .shade8: return .shade8
    case .greyBlanks: return colors >= .palette256 ? .greyBlanks : .ascii
    case .ascii: return .ascii
    }
  }
}
