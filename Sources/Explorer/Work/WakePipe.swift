// WakePipe: a self-pipe that wakes the UI thread's poll(): the worker writes a 0 byte when a
// result is ready, and signal handlers write the signal's number (write(2) is async-signal-safe).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class WakePipe: @unchecked Sendable {
  let readEnd: Int32
  let writeEnd: Int32

  /// A non-blocking, close-on-exec pipe; nil if the system refuses one.
  init?() {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return nil }
    for fd in fds {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    readEnd = fds[0]
    writeEnd = fds[1]
  }

  deinit {
    close(readEnd)
    close(writeEnd)
  }

  /// Wakes the reader (a full pipe already will, so a failed write is fine).
  func signal(_ byte: UInt8 = 0) {
    var value = byte
    _ = write(writeEnd, &value, 1)
  }

  /// Reads everything written so far; returns the bytes (0 = work done, else signal numbers).
  func drain() -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64)
    while true {
      let count = read(readEnd, &buffer, buffer.count)
      if count <= 0 { break }
      bytes += buffer[0..<count]
    }
    return bytes
  }
}
