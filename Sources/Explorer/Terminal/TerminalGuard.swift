// TerminalGuard: signal handling that keeps the user's terminal usable.
// - SIGINT, SIGTERM, SIGHUP and SIGWINCH only write their number into the wake-up pipe; the main
//   loop then restores the terminal and exits (130/143/129) or resizes. No work in the handler.
// - A crash (a Swift runtime trap is SIGILL or SIGTRAP; also SIGSEGV, SIGBUS, SIGABRT, SIGFPE)
//   first writes the terminal's reset sequence and puts back the saved tty modes (both
//   async-signal-safe, unlike endwin), then hands the signal to the handler that was there
//   before (Swift's backtracer, or the default action), so the crash report lands on a sane screen.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TerminalGuard {
  static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH]
  static let crashSignals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE]

  // State read by the handlers: written once before they are installed, never freed.
  nonisolated(unsafe) private static var wakeFD: Int32 = -1
  nonisolated(unsafe) private static var restoreBytes: UnsafeMutablePointer<UInt8>?
  nonisolated(unsafe) private static var restoreCount = 0
  nonisolated(unsafe) private static var savedModes: UnsafeMutablePointer<termios>?
  nonisolated(unsafe) private static var previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

  /// Routes the quit and resize signals into `pipe`. Also unblocks them (and the crash signals)
  /// on the calling thread, which must be the main thread: a parent may have started fgf with
  /// them blocked, and then no handler would ever run.
  static func routeQuitSignals(to pipe: WakePipe) {
    wakeFD = pipe.writeEnd
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for signal in quitSignals + crashSignals { sigaddset(&unblock, signal) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    for signal in quitSignals {
      var action = sigaction()
      setHandler(&action) { signal, _, _ in
        var byte = UInt8(truncatingIfNeeded: signal)
        _ = write(TerminalGuard.wakeFD, &byte, 1)
      }
      action.sa_flags = SA_SIGINFO | SA_RESTART
      sigemptyset(&action.sa_mask)
      sigaction(signal, &action, nil)
    }
  }

  /// Remembers how to put the terminal back (`reset`: escape sequences; `modes`: the tty modes
  /// from before curses started) and installs the crash handlers.
  static func protectAgainstCrashes(reset: [UInt8], modes: termios?) {
    let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, reset.count))
    bytes.initialize(from: reset, count: reset.count)
    restoreBytes = bytes
    restoreCount = reset.count
    if let modes {
      let stored = UnsafeMutablePointer<termios>.allocate(capacity: 1)
      stored.initialize(to: modes)
      savedModes = stored
    }
    for signal in crashSignals {
      var action = sigaction()
      setHandler(&action) { signal, info, _ in
        TerminalGuard.restoreNow()
        sigaction(signal, TerminalGuard.previousActions + Int(signal), nil)
        // A fault (si_code > 0) simply happens again when this handler returns, now under the
        // previous handler. A signal that was sent (kill, abort) is raised again here, unblocked,
        // so the previous handler runs at once; should it return, the default action ends us.
        if signal == SIGABRT || info == nil || (info?.pointee.si_code ?? 0) <= 0 {
          var only = sigset_t()
          sigemptyset(&only)
          sigaddset(&only, signal)
          pthread_sigmask(SIG_UNBLOCK, &only, nil)
          raise(signal)
          var fallback = sigaction()
          fallback.__sigaction_handler.sa_handler = SIG_DFL
          sigaction(signal, &fallback, nil)
          raise(signal)
        }
      }
      action.sa_flags = SA_SIGINFO | Int32(bitPattern: UInt32(SA_RESETHAND))
      sigemptyset(&action.sa_mask)
      sigaction(signal, &action, previousActions + Int(signal))
    }
  }

  /// Writes the reset sequence and restores the tty modes. Async-signal-safe.
  static func restoreNow() {
    if let bytes = restoreBytes, restoreCount > 0 { _ = write(1, bytes, restoreCount) }
    if let modes = savedModes { _ = tcsetattr(0, TCSANOW, modes) }
  }

  /// Puts the crash handlers' predecessors back (after a clean shutdown).
  static func uninstallCrashHandlers() {
    guard restoreBytes != nil else { return }
    for signal in crashSignals { sigaction(signal, previousActions + Int(signal), nil) }
  }

  private typealias Handler = @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void

  private static func setHandler(_ action: inout sigaction, _ handler: Handler) {
    #if canImport(Glibc)
    action.__sigaction_handler.sa_sigaction = handler
    #else
    action.__sigaction_u.__sa_sigaction = handler
    #endif
  }
}
