// Trace: with FGF_TRACE=FILE the explorer appends one line per event (start, frames with their
// input-to-frame latency and cells painted, finished jobs, the moment all figures are complete)
// to FILE. This is how launch time, key-to-frame time and fill-in time are measured.

import Foundation

final class Trace {
  private let handle: FileHandle
  private let start: UInt64

  /// Nil unless `path` is set; a file that cannot be opened disables tracing (never an error).
  init?(path: String?) {
    guard let path, !path.isEmpty else { return nil }
    if !FileManager.default.fileExists(atPath: path) {
      FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
    handle.seekToEndOfFile()
    self.handle = handle
    start = DispatchTime.now().uptimeNanoseconds
  }

  /// Milliseconds since the explorer started.
  var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

  func log(_ message: String) {
    let wall = Date().timeIntervalSince1970
    let line = String(format: "%.3f %9.3f ", wall, elapsed) + message + "\n"
    handle.write(Data(line.utf8))
  }

  deinit { handle.closeFile() }
}
