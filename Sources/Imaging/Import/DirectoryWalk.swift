// Listing the regular files under a directory, recursively, in a stable (sorted) order: hidden
// entries are skipped, symbolic links followed, and a directory reached twice (a link loop) is
// walked once.

import Common
import Glibc

enum DirectoryWalk {
  /// Paths of the regular files under `root`, sorted within each directory.
  static func files(under root: String) throws(FileError) -> [String] {
    var info = stat()
    guard stat(root, &info) == 0 else {
      throw FileError(path: root, problem: "cannot open: \(String(cString: strerror(errno)))")
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else { throw FileError(path: root, problem: "not a directory") }
    var seen: Set<[UInt64]> = []
    var files: [String] = []
    walk(root, into: &files, seen: &seen)
    return files
  }

  /// The names in `directory`, sorted, without "." entries; nil if it cannot be opened.
  static func entries(_ directory: String) -> [String]? {
    guard let handle = opendir(directory) else { return nil }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if !name.hasPrefix(".") { names.append(name) }
    }
    return names.sorted()
  }

  /// Whether `path` is a directory (following links).
  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  private static func walk(_ directory: String, into files: inout [String], seen: inout Set<[UInt64]>) {
    var info = stat()
    guard stat(directory, &info) == 0, seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
    for name in entries(directory) ?? [] {
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      var entry = stat()
      guard stat(path, &entry) == 0 else { continue }
      switch entry.st_mode & S_IFMT {
      case S_IFDIR: walk(path, into: &files, seen: &seen)
      case S_IFREG: files.append(path)
      default: continue
      }
    }
  }
}
