// The real `fgf` binary in a real terminal: tmux gives it one (`new -d -x W -y H`), sends keys,
// resizes it, signals it, and captures the screen (under TERM=screen-256color, where captures
// keep runs of coloured blanks). Each test runs its own tmux server (-L) with a unique session,
// matched exactly (=name), and kills it at the end. Without tmux the tests say so and pass.
import Testing
import Foundation

@Suite(.serialized) struct ExplorerTmuxTests {
  @Test func firstFramePatientChangeFeatureToggleHelpAndQuit() throws {
    guard let tmux = try TmuxExplorer.start(width: 200, height: 60) else { return }
    defer { tmux.finish() }
    let first = try tmux.waitFor("first frame") { $0.contains("Patients") && $0.contains("Alignment") && $0.contains("▶") }
    let firstID = try #require(TmuxExplorer.selectedID(first))
    // With FGF_ASSETS pointing at demo models the charts must show them (else "No models to chart").
    if let assets = ProcessInfo.processInfo.environment["FGF_ASSETS"],
       FileManager.default.fileExists(atPath: assets + "/model-A.safetensors") {
      _ = try tmux.waitFor("demo model A in the charts") { $0.contains("A model-A") }
    }
    print("explorer e2e: \(first.contains("No models to chart") ? "without" : "with") demo models")

    tmux.send("j")
    let moved = try tmux.waitFor("patient change") { TmuxExplorer.selectedID($0).map { $0 != firstID } ?? false }
    #expect(moved.contains("? help"), "key hints (after the first key any opening notice is gone)")
    let secondID = try #require(TmuxExplorer.selectedID(moved))
    _ = try tmux.waitFor("slice title of the new patient") { $0.contains("┌ \(secondID) ·") }

    let enabled = first.contains("[x] 1 ")
    tmux.send("1")
    _ = try tmux.waitFor("feature 1 toggled") { $0.contains(enabled ? "[ ] 1 " : "[x] 1 ") }
    tmux.send("Space")
    _ = try tmux.waitFor("feature 1 toggled back with Space") { $0.contains(enabled ? "[x] 1 " : "[ ] 1 ") }

    tmux.send("?")
    _ = try tmux.waitFor("help") { $0.contains("Help") && $0.contains("any key closes") }
    tmux.send("k")
    _ = try tmux.waitFor("help closed") { !$0.contains("any key closes") }
    #expect(TmuxExplorer.selectedID(tmux.capture()) == secondID, "the key that closes help does nothing else")

    tmux.send("q")
    let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
    #expect(after.contains("EXIT=0"))
    try tmux.expectRestored()
  }

  @Test func resizeTo80x24AndTo60x20() throws {
    guard let tmux = try TmuxExplorer.start(width: 160, height: 48) else { return }
    defer { tmux.finish() }
    _ = try tmux.waitFor("wide layout") { $0.contains("Patients") && $0.contains("Alignment") }
    tmux.resize(width: 80, height: 24)
    let narrow = try tmux.waitFor("80×24 layout") {
      $0.contains("Patients") && !$0.contains("Alignment") && $0.split(separator: "\n").count <= 24
    }
    #expect(!narrow.contains("Alignment"), "slices and charts share one pane")
    #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 80 })
    tmux.send("Tab")
    _ = try tmux.waitFor("charts after Tab") { $0.contains("Alignment") && $0.contains("Tab slices") }
    tmux.send("Tab")
    _ = try tmux.waitFor("slices after Tab") { !$0.contains("Alignment") && $0.contains("Tab charts") }
    tmux.resize(width: 60, height: 20)
    _ = try tmux.waitFor("too small") { $0.contains("Terminal too small: 60×20") }
    tmux.resize(width: 120, height: 36)
    _ = try tmux.waitFor("usable again") { $0.contains("Patients") && !$0.contains("too small") }
    tmux.send("q")
    let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
    #expect(after.contains("EXIT=0"))
  }

  @Test func plainASCIIWhenTheLocaleIsC() throws {
    guard let tmux = try TmuxExplorer.start(width: 140, height: 40, locale: "C") else { return }
    defer { tmux.finish() }
    let screen = try tmux.waitFor("ASCII frame") { $0.contains("+ Patients") && $0.contains(">") }
    #expect(!screen.unicodeScalars.contains { $0.value > 0x7E }, "nothing but ASCII on the screen")
    tmux.send("j")
    _ = try tmux.waitFor("patient change") { $0.contains("2/") }
    tmux.send("q")
    _ = try tmux.waitFor("exit") { $0.contains("EXIT=0") }
  }

  @Test func hangUpRestoresTheTerminalAndExits129() throws {
    guard let tmux = try TmuxExplorer.start(width: 120, height: 40) else { return }
    defer { tmux.finish() }
    _ = try tmux.waitFor("first frame") { $0.contains("Patients") }
    let pid = try #require(tmux.explorerPID())
    kill(pid, SIGHUP)
    let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
    #expect(after.contains("EXIT=129"))
    try tmux.expectRestored()
  }

  @Test func interruptAndTerminateExit130And143() throws {
    do {
      guard let tmux = try TmuxExplorer.start(width: 100, height: 30) else { return }
      defer { tmux.finish() }
      _ = try tmux.waitFor("first frame") { $0.contains("Patients") }
      tmux.send("C-c")
      let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
      #expect(after.contains("EXIT=130"))
      try tmux.expectRestored()
    }
    do {
      guard let tmux = try TmuxExplorer.start(width: 100, height: 30) else { return }
      defer { tmux.finish() }
      _ = try tmux.waitFor("first frame") { $0.contains("Patients") }
      kill(try #require(tmux.explorerPID()), SIGTERM)
      let after = try tmux.waitFor("exit") { $0.contains("EXIT=") }
      #expect(after.contains("EXIT=143"))
      try tmux.expectRestored()
    }
  }

  @Test func aCrashRestoresTheTerminalBeforeTheReport() throws {
    guard let tmux = try TmuxExplorer.start(width: 120, height: 40) else { return }
    defer { tmux.finish() }
    _ = try tmux.waitFor("first frame") { $0.contains("Patients") }
    // A Swift runtime trap is SIGILL on x86 (ud2) and SIGTRAP on arm64.
    kill(try #require(tmux.explorerPID()), SIGILL)
    let after = try tmux.waitFor("exit", seconds: 120) { $0.contains("EXIT=") }
    #expect(after.contains("EXIT=132"))
    try tmux.expectRestored()
  }

  @Test func otherTerminalTypes() throws {
    for term in ["xterm-256color", "tmux-256color", "xterm-direct", "linux", "vt100"] {
      guard let tmux = try TmuxExplorer.start(width: 120, height: 36, term: term) else { return }
      defer { tmux.finish() }
      let screen = try tmux.waitFor("first frame under \(term)") { $0.contains("Patients") }
      if term == "vt100" { #expect(!screen.contains("▀"), "no colour under vt100: no half-blocks") }
      tmux.send("j")
      _ = try tmux.waitFor("patient change under \(term)") { $0.contains("2/") }
      tmux.send("q")
      let after = try tmux.waitFor("exit under \(term)") { $0.contains("EXIT=") }
      #expect(after.contains("EXIT=0"), "\(term)")
      let opened = tmux.trace.split(separator: "\n").first { $0.contains(" terminal ") }.map(String.init) ?? ""
      if term == "xterm-direct" {
        // Not installed here: a direct-colour entry is made with tic (or 256 colours without tic).
        #expect(opened.contains("render truecolor") || opened.contains("render 256"), "\(opened)")
      }
      if term == "vt100" { #expect(opened.contains("colors 0"), "\(opened)") }
    }
  }

  @Test func trueColourWhenTheTerminalSaysSo() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tic") else { print("skipped: no tic"); return }
    guard let tmux = try TmuxExplorer.start(width: 120, height: 36, environment: ["COLORTERM=truecolor"]) else { return }
    defer { tmux.finish() }
    _ = try tmux.waitFor("first frame") { $0.contains("Patients") }
    let opened = tmux.trace.split(separator: "\n").first { $0.contains(" terminal ") }.map(String.init) ?? ""
    #expect(opened.contains("terminal fgf-direct-screen-256color") && opened.contains("colors 16777216")
            && opened.contains("render truecolor"), "\(opened)")
    tmux.send("q")
    _ = try tmux.waitFor("exit") { $0.contains("EXIT=0") }
  }

  @Test func withoutATerminalItPointsToTheHeadlessCommands() throws {
    let result = try FGFBinary.run(["explore"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("fgf analyze") && result.stderr.contains("fgf render"))
    #expect(result.stderr.split(separator: "\n").count == 1, "one line")
    let plain = try FGFBinary.run([])
    #expect(plain.status == 2, "plain `fgf` opens the explorer, which needs a terminal")
  }
}

/// The explorer running in a detached tmux session of a private tmux server.
final class TmuxExplorer {
  static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux", "/opt/homebrew/bin/tmux"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
  nonisolated(unsafe) private static var counter = 0
  /// FGF_ASSETS reaches the explorer when set for the test run, so the same tests run with and
  /// without demo models (`FGF_ASSETS=DIR swift test --filter ExplorerTmuxTests`).
  static let passedThrough: [String] = ProcessInfo.processInfo.environment["FGF_ASSETS"].map { ["FGF_ASSETS=\($0)"] } ?? []

  let socket: String
  let session: String
  let directory: String
  private var closed = false

  struct Timeout: Error, CustomStringConvertible {
    var what: String
    var screen: String
    var description: String { "timed out waiting for \(what); screen:\n\(screen)" }
  }

  /// Starts `fgf explore` in a `width`×`height` tmux pane; nil (with a note) when tmux is absent.
  static func start(width: Int, height: Int, locale: String = "C.UTF-8", term: String = "screen-256color",
                    environment: [String] = [], arguments: [String] = []) throws -> TmuxExplorer? {
    guard tmuxPath != nil else {
      print("skipped: tmux is not installed, so the explorer's end-to-end tests cannot run")
      return nil
    }
    counter += 1
    return try TmuxExplorer(width: width, height: height, locale: locale, term: term, environment: environment,
                            arguments: arguments, number: counter)
  }

  private init(width: Int, height: Int, locale: String, term: String, environment extra: [String],
               arguments: [String], number: Int) throws {
    let tag = "fgf-e2e-\(getpid())-\(number)"
    socket = tag
    session = tag
    directory = NSTemporaryDirectory() + tag
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // The shell ignores Ctrl-C (fgf installs its own handler), runs fgf in the foreground, then
    // reports how it ended and the tty modes it left behind, and stays until the test ends.
    let quoted = ([FGFBinary.path, "explore"] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let script = """
      trap '' INT
      \(quoted)
      echo "EXIT=$?"
      stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' '; echo
      exec sleep 600
      """
    try script.write(toFile: directory + "/run.sh", atomically: true, encoding: .utf8)
    let environment = [
      "PATH=/usr/bin:/bin", "HOME=\(directory)", "XDG_CACHE_HOME=\(directory)/cache", "TERM=\(term)",
      "LANG=\(locale)", "LC_ALL=\(locale)", "FGF_TRACE=\(directory)/trace.log", "SWIFT_BACKTRACE=interactive=no",
    ] + Self.passedThrough + extra
    try run(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
             "env -i " + environment.map { "'\($0)'" }.joined(separator: " ") + " sh '\(directory)/run.sh'"])
  }

  /// Runs tmux on this test's server; returns its standard output. (posix_spawn and waitpid:
  /// Foundation's Process never sees the exit of a tmux client that has just started a server.)
  @discardableResult
  func run(_ arguments: [String]) throws -> String {
    let argv = [TmuxExplorer.tmuxPath ?? "tmux", "-L", socket] + arguments
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw Timeout(what: "a pipe for tmux", screen: "") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
    let cArguments = argv.map { strdup($0) } + [nil]
    let cEnvironment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (cArguments + cEnvironment).forEach { free($0) } }
    // The test runner's threads block most signals; a tmux server inheriting that mask would
    // never see its panes exit. Children start with no signal blocked and default actions.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
    posix_spawnattr_destroy(&attributes)
    posix_spawn_file_actions_destroy(&actions)
    close(fds[1])
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = read(fds[0], &buffer, buffer.count)
      if count <= 0 { break }
      output += buffer[0..<count]
    }
    close(fds[0])
    var status: Int32 = 0
    if spawned == 0 { waitpid(pid, &status, 0) }
    return String(decoding: output, as: UTF8.self)
  }

  var target: String { "=\(session):" }

  func capture() -> String { (try? run(["capture-pane", "-p", "-t", target])) ?? "" }

  func send(_ keys: String...) { _ = try? run(["send-keys", "-t", target] + keys) }

  func resize(width: Int, height: Int) {
    _ = try? run(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
  }

  /// A tmux format evaluated for the pane, e.g. "#{alternate_on}".
  func display(_ format: String) -> String {
    ((try? run(["display-message", "-p", "-t", target, format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The screen once `condition` holds (checked every 50 ms for up to `seconds`: generous, so
  /// that a machine busy with builds only slows the test down).
  func waitFor(_ what: String, seconds: Double = 90, _ condition: (String) -> Bool) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var screen = capture()
    while !condition(screen) {
      guard Date() < deadline else { throw Timeout(what: what, screen: screen) }
      usleep(50_000)
      screen = capture()
    }
    return screen
  }

  /// What fgf wrote to its trace (FGF_TRACE) so far.
  var trace: String { (try? String(contentsOfFile: directory + "/trace.log", encoding: .utf8)) ?? "" }

  /// The fgf process: the child of the pane's shell.
  func explorerPID() -> Int32? {
    guard let shell = Int32(display("#{pane_pid}")),
          let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
    else { return nil }
    return children.split(separator: " ").compactMap { Int32($0) }.first
  }

  /// After fgf exited: the tty is back in canonical mode with echo, the alternate screen is
  /// left, the cursor is visible, mouse reporting is off.
  func expectRestored() throws {
    let screen = try waitFor("tty modes") { $0.contains("icanon") }
    let modes = screen.split(separator: "\n").first { $0.contains("icanon") }.map(String.init) ?? ""
    let words = Set(modes.split(separator: " ").map(String.init))
    #expect(words.contains("icanon") && words.contains("echo") && words.contains("isig"), "tty modes: \(modes)")
    #expect(display("#{alternate_on}") == "0", "alternate screen left")
    #expect(display("#{cursor_flag}") == "1", "cursor visible")
    #expect(display("#{mouse_any_flag}") == "0", "mouse reporting off")
  }

  /// The id on the selected row of the patient list ("▶id" or ">id").
  static func selectedID(_ screen: String) -> String? {
    for line in screen.split(separator: "\n") {
      guard let pointer = line.firstIndex(where: { $0 == "▶" || $0 == ">" }),
            line[line.startIndex..<pointer].allSatisfy({ $0 == "│" || $0 == "|" }) else { continue }
      return line[line.index(after: pointer)...].split(separator: " ").first.map(String.init)
    }
    return nil
  }

  func finish() {
    guard !closed else { return }
    closed = true
    _ = try? run(["kill-server"])
    try? FileManager.default.removeItem(atPath: directory)
  }

  deinit { finish() }
}
