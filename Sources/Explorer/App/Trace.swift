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
      _ = FileManager.default.createFile(atPath: path, contents: nil)  // failure shows below as nil
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

  /// Milliseconds since this process started (Linux: /proc), or nil where unknown.
  static func processAge() -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
          let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    // Fields after the command name: state is field 3; starttime is field 22 (clock ticks since boot).
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 19, let ticks = Double(fields[19]),
          let now = uptime.split(separator: " ").first.flatMap({ Double($0) }) else { return nil }
    let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
    return (now - ticks / hertz) * 1000
  }

  /// CPU time of the whole process so far (every thread), in milliseconds.
  static func processCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
  }

  deinit { handle.closeFile() }
}
