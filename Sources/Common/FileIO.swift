// Whole-file reads with a size check first, and atomic writes (temporary file, fsync, rename),
// so a reader never allocates more than a file holds and a kill never leaves a partial file.

import Glibc

public enum FileIO {
  /// Size in bytes of the regular file at `path`.
  public static func size(of path: String) throws(FileError) -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw FileError(path: path, problem: "cannot open: \(errnoText())")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw FileError(path: path, problem: "not a regular file")
    }
    return Int(info.st_size)
  }

  /// Reads the whole file, refusing files larger than `limit` bytes before allocating.
  public static func read(_ path: String, limit: Int = 1 << 34) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, problem: "cannot open: \(errnoText())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError(path: path, problem: "cannot stat: \(errnoText())") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: path, problem: "not a regular file") }
    let size = Int(info.st_size)
    guard size <= limit else {
      throw FileError(path: path, problem: "file is \(size) bytes, more than the \(limit) this reader accepts")
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let got = bytes.withUnsafeMutableBytes { buffer in
        Glibc.read(fd, buffer.baseAddress! + done, size - done)
      }
      if got < 0 {
        if errno == EINTR { continue }
        throw FileError(path: path, place: "byte \(done)", problem: "read failed: \(errnoText())")
      }
      if got == 0 { break }  // the file shrank while we read it
      done += got
    }
    if done < size { bytes.removeLast(size - done) }
    return bytes
  }

  /// Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
  /// flushed to disk, then renamed over `path`, and the directory is synced. A kill at any
  /// moment leaves either the old file or the new one (and perhaps a temporary, which the next
  /// write of `path` removes once its writer is gone).
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
    let temporary = temporaryPath(for: path)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileError(path: path, problem: "cannot create \(temporary): \(errnoText())") }
    var failure: FileError?
    var done = 0
    while done < bytes.count && failure == nil {
      let wrote = bytes.withUnsafeBytes { buffer in
        write(fd, buffer.baseAddress! + done, bytes.count - done)
      }
      if wrote < 0 {
        if errno == EINTR { continue }
        failure = FileError(path: path, problem: "write failed: \(errnoText())", hint: "is the disk full?")
      } else {
        done += wrote
      }
    }
    if failure == nil && fsync(fd) != 0 {
      failure = FileError(path: path, problem: "fsync failed: \(errnoText())")
    }
    close(fd)
    if failure == nil && rename(temporary, path) != 0 {
      failure = FileError(path: path, problem: "cannot rename the new file into place: \(errnoText())")
    }
    if let failure {
      unlink(temporary)
      throw failure
    }
    syncDirectory(containing: path)
    removeStaleTemporaries(of: path)
  }

  /// Flushes the directory entry of `path` so that a completed rename survives a crash.
  public static func syncDirectory(containing path: String) {
    let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
    let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}
