// Temporary files and directories that writers fill before renaming them into place, and the
// removal of those a killed writer left behind (SIGKILL, an OOM kill, a power cut). A temporary of
// `dir/name` is `dir/name.tmp-<host>-<pid>-<random>` (or hidden, `dir/.name.tmp-…`), so a later
// writer of the same target can tell a dead process's leftover from another process's work in
// progress, even on a file system shared by several hosts.

import Glibc

extension FileIO {
  /// A new temporary name beside `path` (in the same directory, so a rename moves it into place):
  /// unique to this host, process and call. `hidden` puts a dot before it (for directories the
  /// user should not see while they are being built).
  public static func temporaryPath(for path: String, hidden: Bool = false) -> String {
    let (directory, name) = split(path)
    var random = SystemRandomNumberGenerator()
    let unique = "\(hostTag)-\(getpid())-\(String(random.next() & 0xFFFF_FFFF_FFFF, radix: 16))"
    return directory + (hidden ? "." : "") + name + temporaryMarker + unique
  }

  /// Removes the temporaries of `path` (files or whole directories, named as `temporaryPath` names
  /// them) whose writer was a process of this host that no longer runs. Work in progress of live
  /// processes, and anything from other hosts, is left alone. Returns the paths removed.
  @discardableResult
  public static func removeStaleTemporaries(of path: String) -> [String] {
    let (directory, name) = split(path)
    guard !name.isEmpty else { return [] }
    return removeStale(in: directory) { $0 == name || $0 == "." + name }
  }

  /// Removes every stale temporary (as `removeStaleTemporaries(of:)` judges them) in `directory`,
  /// whatever its target: for directories of many files, such as a cache.
  @discardableResult
  public static func removeStaleTemporaries(in directory: String) -> [String] {
    removeStale(in: directory.hasSuffix("/") ? directory : directory + "/") { _ in true }
  }

  private static func removeStale(in directory: String, of target: (String) -> Bool) -> [String] {
    var removed: [String] = []
    for entry in listDirectory(directory.isEmpty ? "." : directory) {
      guard let temporary = parseTemporary(entry), target(temporary.target),
            temporary.host == hostTag, temporary.pid > 0, !isRunning(temporary.pid) else { continue }
      removeTree(directory + entry)
      removed.append(directory + entry)
    }
    return removed
  }

  /// The parts of a name `temporaryPath` made: `<target>.tmp-<host>-<pid>-<random>`, where the
  /// target may have a leading dot added (hidden) and may itself contain "-".
  static func parseTemporary(_ name: String) -> (target: String, host: String, pid: pid_t)? {
    let fields = name.split(separator: "-", omittingEmptySubsequences: false)
    guard fields.count >= 4, let pid = pid_t(fields[fields.count - 2]), UInt64(fields[fields.count - 1], radix: 16) != nil else {
      return nil
    }
    let head = fields[0..<(fields.count - 3)].joined(separator: "-")
    let tail = temporaryMarker.dropLast()  // ".tmp"
    guard head.hasSuffix(tail), head.count > tail.count else { return nil }
    return (String(head.dropLast(tail.count)), String(fields[fields.count - 3]), pid)
  }

  /// Removes `path`: a file or symbolic link, or a directory with everything in it (links are
  /// removed, never followed).
  public static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      for entry in listDirectory(path) { removeTree(path + "/" + entry) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }

  /// The names in a directory other than "." and ".." (empty when it cannot be read).
  public static func listDirectory(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  static let temporaryMarker = ".tmp-"

  /// This host's name with every character but letters, digits and dots replaced by "_", so that
  /// "-" separates the fields of a temporary name.
  static let hostTag: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    let name = gethostname(&buffer, buffer.count - 1) == 0
      ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
    let tag = String(name.prefix(64).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") ? $0 : "_" })
    return tag.isEmpty ? "host" : tag
  }()

  /// Whether process `pid` of this host exists (a process we may not signal exists too).
  static func isRunning(_ pid: pid_t) -> Bool {
    pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
  }

  /// "dir/" (empty for the current directory) and the last component of `path`.
  static func split(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return ("", path) }
    return (String(path[...slash]), String(path[path.index(after: slash)...]))
  }
}
