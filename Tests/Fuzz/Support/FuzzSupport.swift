// Shared by every fuzz target: the input as bytes, a scratch file for readers that take a path,
// and `require`, which stops the fuzzer with a message when a property of a reader does not hold
// (libFuzzer records the input as a crash).

import Glibc

/// The fuzzer's input as an array.
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
  guard let data, size > 0 else { return [] }
  return Array(UnsafeBufferPointer(start: data, count: size))
}

/// This process's scratch directory, in memory (/dev/shm) when there is one.
let fuzzScratchDirectory: String = {
  let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
  let path = "\(base)/fgf-fuzz-\(getpid())"
  mkdir(path, 0o700)
  return path
}()

/// Writes `bytes` to the scratch file `name` (replacing it) and returns its path.
@discardableResult
func writeScratch(_ bytes: [UInt8], name: String) -> String {
  let path = fuzzScratchDirectory + "/" + name
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  precondition(fd >= 0, "cannot write the scratch file \(path)")
  var done = 0
  while done < bytes.count {
    let wrote = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
    precondition(wrote > 0, "cannot write the scratch file \(path)")
    done += wrote
  }
  close(fd)
  return path
}

/// Stops the fuzzer (a finding) when `condition` is false.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition {
    let text = Array("fuzz property violated: \(message())\n".utf8)
    _ = text.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    abort()
  }
}
