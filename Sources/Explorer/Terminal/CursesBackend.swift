// CursesBackend: the only code that talks to ncursesw. It opens the terminal with newterm (so an
// unknown terminal is an error message, not an exit inside ncurses), paints the cells that changed
// since the last frame, reads keys and mouse events without blocking, follows size changes and
// puts the terminal back as it was.

import CNcursesw
import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#endif

/// Why the terminal could not be used.
struct TerminalError: Error, CustomStringConvertible {
  var description: String
}

final class CursesBackend {
  private let screen: OpaquePointer
  let profile: TerminalProfile
  /// The terminfo entry in use (differs from TERM when a direct-colour entry was made).
  let terminalName: String
  private let mapper: ColorMapper
  private var pairs: PairTable
  private var painted: CellGrid?
  private(set) var width: Int
  private(set) var height: Int
  private var closed = false

  /// Opens the terminal on stdin/stdout. `wantDirectColor`: make a 24-bit entry if TERM lacks one.
  init(environment: [String: String], wantDirectColor: Bool, mouse: Bool) throws(TerminalError) {
    setlocale(LC_ALL, "")
    let unicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    guard let term = environment["TERM"], !term.isEmpty else {
      throw TerminalError(description: "TERM is not set: fgf explore needs to know the terminal type")
    }
    var name = term
    let known = CursesBackend.colors(of: term) != nil
    if wantDirectColor || (!known && term.hasSuffix("-direct")),
       let direct = DirectColorTerminfo.prepare(term: term, environment: environment, available: CursesBackend.colors) {
      name = direct
    } else if !known, term.hasSuffix("-direct"),
              CursesBackend.colors(of: "xterm-256color") != nil {
      name = "xterm-256color"  // xterm-direct without its terminfo and without tic: 256 colours
    }

    var modes = termios()
    let haveModes = tcgetattr(0, &modes) == 0
    guard let screen = newterm(name, fgf_stdout_file(), fgf_stdin_file()) else {
      throw TerminalError(description: "cannot use terminal type '\(term)': no terminfo entry for it (try TERM=xterm-256color)")
    }
    self.screen = screen
    terminalName = name
    set_term(screen)
    cbreak()
    noecho()
    nonl()
    intrflush(fgf_stdscr(), false)
    keypad(fgf_stdscr(), true)
    nodelay(fgf_stdscr(), true)
    set_escdelay(25)
    curs_set(0)

    let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
    var depth = ColorDepth.none
    if has_colors() && !noColor {
      start_color()
      use_default_colors()
      depth = ColorDepth(colors: Int(fgf_colors()))
    }
    profile = TerminalProfile(unicode: unicode, colors: depth)
    mapper = ColorMapper(depth: depth)
    pairs = PairTable(limit: depth == .none ? 1 : Int32(clamping: fgf_color_pairs()))
    if mouse {
      mouseinterval(0)
      mousemask(fgf_button1_clicked() | fgf_button1_pressed() | fgf_button4_pressed() | fgf_button5_pressed(), nil)
    }
    width = Int(fgf_cols())
    height = Int(fgf_lines())

    // What undoes curses' changes if the process crashes before endwin.
    var reset: [UInt8] = []
    for capability in ["rmcup", "rmkx", "sgr0", "cnorm"] {
      if let text = fgf_tigetstr(capability) { reset += Array(String(cString: text).utf8) }
    }
    if mouse { reset += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l".utf8) }
    reset += Array("\r\n".utf8)
    TerminalGuard.protectAgainstCrashes(reset: reset, modes: haveModes ? modes : nil)
  }

  /// The number of colours of terminfo entry `name`, or nil if it cannot be loaded.
  static func colors(of name: String) -> Int? {
    var status: Int32 = 0
    guard setupterm(name, 1, &status) == OK, status == 1 else { return nil }
    let colors = fgf_tigetnum("colors")
    del_curterm(fgf_cur_term())
    return Int(max(0, colors))
  }

  // MARK: Output

  /// Paints `grid`: only cells that differ from the last painted grid, or all of them after a
  /// size change or when `clear` is set. Returns the number of cells sent to curses.
  @discardableResult
  func paint(_ grid: CellGrid, clear: Bool) -> Int {
    var full = clear || painted?.width != grid.width || painted?.height != grid.height
    if full { clearok(fgf_stdscr(), true) }
    var count = 0
    var attempt = 0
    repeat {
      var exhausted = false
      count = 0
      for y in 0..<grid.height {
        for x in 0..<grid.width {
          let cell = grid[x, y]
          if !full, let painted, painted[x, y] == cell { continue }
          if !put(cell, x: x, y: y) { exhausted = true }
          count += 1
        }
      }
      attempt += 1
      // Colour pairs ran out: start the table over and paint every cell with fresh pairs (a
      // second overflow within one frame keeps the default colours for the rest).
      if exhausted && attempt == 1 {
        pairs.reset()
        full = true
        clearok(fgf_stdscr(), true)
        continue
      }
      break
    } while true
    wnoutrefresh(fgf_stdscr())
    doupdate()
    painted = grid
    return count
  }

  /// Writes one cell; false when no colour pair was left for it.
  private func put(_ cell: Cell, x: Int, y: Int) -> Bool {
    var attributes = fgf_a_normal()
    if cell.bold { attributes |= fgf_a_bold() }
    if cell.reverse { attributes |= fgf_a_reverse() }
    var pair: Int32 = 0
    var ok = true
    if profile.colors != .none {
      let foreground = mapper.number(cell.foreground), background = mapper.number(cell.background)
      if let number = pairs.pair(foreground: foreground, background: background, define: { number, fg, bg in
        init_extended_pair(number, fg, bg)
      }) {
        pair = number
      } else {
        ok = false
      }
    }
    var text: [wchar_t] = []
    for scalar in cell.character.unicodeScalars.prefix(4) {
      text.append(wchar_t(bitPattern: profile.unicode || scalar.isASCII ? scalar.value : 0x3F))
    }
    if text.isEmpty || (text.count == 1 && text[0] < 0x20) { text = [0x20] }
    text.append(0)
    var wide = cchar_t()
    fgf_setcchar(&wide, text, attributes, pair)
    _ = fgf_put_cell(Int32(y), Int32(x), &wide)
    return ok
  }

  // MARK: Input

  /// Keys and mouse events waiting now (never blocks).
  func readEvents() -> [InputEvent] {
    var events: [InputEvent] = []
    while events.count < 256 {
      var character: wint_t = 0
      let status = wget_wch(fgf_stdscr(), &character)
      if status == ERR { break }
      if status == KEY_CODE_YES {
        if let event = functionKey(Int32(bitPattern: character)) { events.append(event) }
      } else if let scalar = Unicode.Scalar(character) {
        events.append(.fromCharacter(scalar))
      }
    }
    return events
  }

  private func functionKey(_ code: Int32) -> InputEvent? {
    switch code {
    case KEY_UP: return .key(.up)
    case KEY_DOWN: return .key(.down)
    case KEY_LEFT: return .key(.left)
    case KEY_RIGHT: return .key(.right)
    case KEY_NPAGE: return .key(.pageDown)
    case KEY_PPAGE: return .key(.pageUp)
    case KEY_HOME: return .key(.home)
    case KEY_END: return .key(.end)
    case KEY_ENTER: return .key(.enter)
    case KEY_BACKSPACE: return .key(.backspace)
    case KEY_DC: return .key(.delete)
    case KEY_BTAB: return .key(.backTab)
    case KEY_RESIZE: return nil  // sizes come from SIGWINCH and `refreshSize`
    case KEY_MOUSE:
      var event = MEVENT()
      guard getmouse(&event) == OK else { return nil }
      let state = event.bstate
      if state & fgf_button4_pressed() != 0 { return .mouse(.wheelUp, x: Int(event.x), y: Int(event.y)) }
      if fgf_button5_pressed() != 0 && state & fgf_button5_pressed() != 0 {
        return .mouse(.wheelDown, x: Int(event.x), y: Int(event.y))
      }
      if state & (fgf_button1_clicked() | fgf_button1_pressed()) != 0 {
        return .mouse(.click, x: Int(event.x), y: Int(event.y))
      }
      return nil
    default:
      for n in 1...12 where code == fgf_key_f(Int32(n)) { return .key(.function(n)) }
      return nil
    }
  }

  /// Reads the terminal's size from the kernel and tells curses; returns it if it changed.
  func refreshSize() -> (width: Int, height: Int)? {
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
    let (w, h) = (Int(size.ws_col), Int(size.ws_row))
    guard w != width || h != height else { return nil }
    resizeterm(Int32(h), Int32(w))
    width = w
    height = h
    painted = nil
    return (w, h)
  }

  /// Restores the terminal (idempotent).
  func close() {
    guard !closed else { return }
    closed = true
    endwin()
    delscreen(screen)
    TerminalGuard.uninstallCrashHandlers()
  }

  deinit { close() }
}
