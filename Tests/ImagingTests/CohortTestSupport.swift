// Test support for cohort and crop-store tests: temporary directories made and removed with
// plain system calls (Foundation's file manager takes seconds for thousands of files).
import Foundation
import Glibc
import Common

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct CohortScratchDirectory {
  let path: String

  init() {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("fgf-test-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// Removes the directory and everything in it.
  func remove() { CohortScratchDirectory.removeTree(path) }

  static func removeTree(_ path: String) {
    if let directory = opendir(path) {
      while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name == "." || name == ".." { continue }
        let child = path + "/" + name
        var info = stat()
        if lstat(child, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { removeTree(child) } else { unlink(child) }
      }
      closedir(directory)
    }
    rmdir(path)
  }

  func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

  /// Writes `bytes` to `path` without the fsync and rename of an atomic write (test fixtures only).
  static func writeQuickly(_ bytes: [UInt8], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw FileError(path: path, problem: "cannot create") }
    defer { close(fd) }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw FileError(path: path, problem: "short write") }
  }
}
