// ExplorerApp: the explorer's entry point. Checks for a terminal, opens it, and runs the main
// loop: wait (poll) on the keyboard and the wake-up pipe, merge worker results and handle keys,
// start the next job, redraw what changed. Nothing here computes or draws by itself.

import Foundation
import Imaging
import Pipeline
#if canImport(Glibc)
import Glibc
#endif

/// How to run the explorer.
public struct ExplorerOptions: Sendable {
  /// Slice rendering mode; nil detects the best the terminal offers.
  public var render: RenderMode?
  /// Mouse wheel and clicks (turning it off leaves the terminal's own selection alone).
  public var mouse: Bool
  public var environment: [String: String]

  public init(render: RenderMode? = nil, mouse: Bool = true,
              environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.render = render; self.mouse = mouse; self.environment = environment
  }
}

public enum ExplorerApp {
  /// Exit status when stdin or stdout is not a terminal.
  public static let notATerminalStatus: Int32 = 2

  /// A one-line message when the explorer cannot run here because stdin or stdout is not a
  /// terminal; nil when it can.
  public static func terminalProblem() -> String? {
    guard isatty(0) == 0 || isatty(1) == 0 else { return nil }
    return "fgf explore needs a terminal on stdin and stdout; without one use `fgf analyze` "
      + "(figures as a table, JSON or CSV) or `fgf render` (a CT slice as text)"
  }

  /// Runs the explorer on `data` until the user quits or a signal ends it; returns the exit
  /// status (0 after q; 128 + the signal's number after SIGINT, SIGTERM, SIGHUP; 129 when the
  /// terminal went away; 1 when the terminal could not be used).
  public static func run(data: any ExplorerData, options: ExplorerOptions = ExplorerOptions()) -> Int32 {
    if let problem = terminalProblem() {
      FileHandle.standardError.write(Data("fgf: \(problem)\n".utf8))
      return notATerminalStatus
    }
    guard let wake = WakePipe() else {
      FileHandle.standardError.write(Data("fgf: cannot create a pipe for the explorer\n".utf8))
      return 1
    }
    let trace = Trace(path: options.environment["FGF_TRACE"])
    trace?.log("start" + (Trace.processAge().map { String(format: " (process started %.1f ms ago)", $0) } ?? ""))
    TerminalGuard.routeQuitSignals(to: wake)
    let backend: CursesBackend
    do {
      backend = try CursesBackend(environment: options.environment,
                                  wantDirectColor: RenderChoice.wantsDirectColor(options),
                                  mouse: options.mouse)
    } catch {
      FileHandle.standardError.write(Data("fgf: \(error.description)\n".utf8))
      return 1
    }
    let loop = MainLoop(data: data, backend: backend, wake: wake, options: options, trace: trace)
    let status = loop.run()
    backend.close()
    trace?.log("exit \(status)")
    return status
  }
}
