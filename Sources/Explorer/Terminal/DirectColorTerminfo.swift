// DirectColorTerminfo: 24-bit colour through ncurses needs a terminfo entry with direct colour
// (`RGB`, colors#0x1000000), such as `xterm-direct`, which many servers do not have (Debian puts it
// in ncurses-term). When true colour is wanted and the entry for TERM lacks it, fgf derives one
// from TERM's own entry ("fgf-direct-<TERM>": the same terminal, plus `RGB` and SGR 38;2/48;2
// colour strings), compiles it with `tic` into its cache directory and points TERMINFO_DIRS there.
// Without `tic` (or if it fails) the explorer uses TERM as it is: 256 colours.

import Foundation

package enum DirectColorTerminfo {
  /// The terminfo name to open for `term` when 24-bit colour is wanted, or nil to keep `term`.
  /// `available(name)` says whether an entry can be loaded (and its colour count).
  package static func prepare(term: String, environment: [String: String],
                      available: (String) -> Int?) -> String? {
    if let colors = available(term), colors >= 1 << 24 { return nil }
    var base = term
    if available(base) == nil {
      guard term.hasSuffix("-direct") else { return nil }
      // e.g. TERM=xterm-direct on a machine without ncurses-term: start from its 256-colour sibling.
      let stem = term.hasSuffix("-direct") ? String(term.dropLast("-direct".count)) : term
      base = [stem + "-256color", "xterm-256color"].first { available($0) != nil } ?? ""
      if base.isEmpty { return nil }
    }
    let name = "fgf-direct-" + String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
    guard let directory = cacheDirectory(environment) else { return nil }
    useDirectory(directory, environment: environment)
    if let colors = available(name), colors >= 1 << 24 { return name }
    guard compile(name: name, base: base, into: directory),
          let colors = available(name), colors >= 1 << 24 else { return nil }
    return name
  }

  /// The terminfo source of the derived entry. Capabilities before `use=` override the base's.
  package static func source(name: String, base: String) -> String {
    let rgb = "%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d"
    return """
    \(name)|\(base) with direct colour (made by fgf),
    \tRGB, colors#0x1000000, pairs#0x10000, ccc@, initc@, oc@,
    \tsetaf=\\E[%?%p1%{8}%<%t3%p1%d%e38;2;\(rgb)%;m,
    \tsetab=\\E[%?%p1%{8}%<%t4%p1%d%e48;2;\(rgb)%;m,
    \tuse=\(base),

    """
  }

  /// $XDG_CACHE_HOME/fgf/terminfo, else ~/.cache/fgf/terminfo, else a per-user temporary one.
  static func cacheDirectory(_ environment: [String: String]) -> String? {
    var candidates: [String] = []
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { candidates.append(xdg + "/fgf/terminfo") }
    if let home = environment["HOME"], home.hasPrefix("/") { candidates.append(home + "/.cache/fgf/terminfo") }
    candidates.append(NSTemporaryDirectory() + "fgf-terminfo-\(getuid())")
    for path in candidates {
      try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      if FileManager.default.isWritableFile(atPath: path) { return path }
    }
    return nil
  }

  /// Puts `directory` first in TERMINFO_DIRS (an empty component keeps the system's places).
  static func useDirectory(_ directory: String, environment: [String: String]) {
    let existing = environment["TERMINFO_DIRS"] ?? ""
    let parts = existing.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard !parts.contains(directory) else { return }
    setenv("TERMINFO_DIRS", ([directory] + (existing.isEmpty ? [""] : parts)).joined(separator: ":"), 1)
  }

  /// Runs `tic -x` on the entry's source into a private directory, then moves the compiled
  /// file into place with a rename (another fgf starting at the same moment never reads half a
  /// file). Returns whether it succeeded.
  package static func compile(name: String, base: String, into directory: String) -> Bool {
    guard let tic = ["/usr/bin/tic", "/bin/tic", "/usr/local/bin/tic"].first(where: {
      FileManager.default.isExecutableFile(atPath: $0) }) else { return false }
    let files = FileManager.default
    let scratch = directory + "/.build.tmp-\(getpid())"
    defer { try? files.removeItem(atPath: scratch) }
    guard (try? files.createDirectory(atPath: scratch, withIntermediateDirectories: true)) != nil,
          (try? source(name: name, base: base).write(toFile: scratch + "/entry.src", atomically: true, encoding: .utf8)) != nil
    else { return false }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tic)
    process.arguments = ["-x", "-o", scratch, scratch + "/entry.src"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return false }
    // tic files entries under a one-letter (or, on macOS, two-hex-digit) folder.
    guard let folder = (try? files.contentsOfDirectory(atPath: scratch))?.first(where: {
      files.fileExists(atPath: scratch + "/" + $0 + "/" + name) }) else { return false }
    try? files.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
    return rename(scratch + "/" + folder + "/" + name, directory + "/" + folder + "/" + name) == 0
  }
}
