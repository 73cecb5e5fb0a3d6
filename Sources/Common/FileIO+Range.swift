// Reads of part of a file (a header, or one volume of many), so readers need not load whole
// files to look at their start, and never allocate more than the file really holds.

import Glibc

extension FileIO {
  /// Up to `count` bytes of the regular file at `path` from byte `offset`: fewer when the file
  /// ends first (the caller checks). Allocates at most what the file holds past `offset`.
  public static func read(_ path: String, offset: Int, count: Int) throws(FileError) -> [UInt8] {
    precondition(offset >= 0 && count >= 0, "offset and count must not be negative")
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, problem: "cannot open: \(errnoText())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError(path: path, problem: "cannot stat: \(errnoText())") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: path, problem: "not a regular file") }
    let wanted = min(count, max(0, Int(info.st_size) - offset))
    var bytes = [UInt8](repeating: 0, count: wanted)
    var done = 0
    while done < wanted {
      let got = bytes.withUnsafeMutableBytes { buffer in
        pread(fd, buffer.baseAddress! + done, wanted - done, off_t(offset + done))
      }
      if got < 0 {
        if errno == EINTR { continue }
        throw FileError(path: path, place: "byte \(offset + done)", problem: "read failed: \(errnoText())")
      }
      if got == 0 { break }  // the file shrank while we read it
      done += got
    }
    if done < wanted { bytes.removeLast(wanted - done) }
    return bytes
  }
}
