// ProgressLine: a one-line progress bar on stderr, redrawn in place ("\r", erase to end of line),
// shown only when stderr is a terminal so that logs and pipes stay clean. At most ten redraws a
// second; the line is cleared before anything else is printed and when the work ends. Thread-safe
// (workers report from their own threads).

import Foundation
import Glibc

public final class ProgressLine: @unchecked Sendable {
  private let lock = NSLock()
  private let enabled: Bool
  private var lastDraw: UInt64 = 0
  private var shown = false

  /// A progress line; `enabled` nil means "when stderr is a terminal".
  public init(enabled: Bool? = nil) {
    self.enabled = enabled ?? (isatty(STDERR_FILENO) == 1)
  }

  public var isEnabled: Bool { enabled }

  /// Shows `label` with a bar for done/total and `detail` after it (throttled unless `force`).
  public func update(_ label: String, done: Int, total: Int, detail: String = "", force: Bool = false) {
    guard enabled else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    lock.lock(); defer { lock.unlock() }
    guard force || done >= total || now - lastDraw >= 100_000_000 else { return }
    lastDraw = now
    let width = max(10, min(30, ProgressLine.columns() - label.count - detail.count - 20))
    let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
    let filled = Int((fraction * Double(width)).rounded(.down))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    var line = "\(label) \(bar) \(done)/\(total)"
    if !detail.isEmpty { line += "  " + detail }
    write("\r" + String(line.prefix(max(1, ProgressLine.columns() - 1))) + "\u{1B}[K")
    shown = true
  }

  /// Removes the line (before printing something else, and at the end).
  public func clear() {
    guard enabled else { return }
    lock.lock(); defer { lock.unlock() }
    if shown { write("\r\u{1B}[K") }
    shown = false
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// The terminal's width in columns (80 when unknown).
  static func columns() -> Int {
    var size = winsize()
    if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
  }
}
