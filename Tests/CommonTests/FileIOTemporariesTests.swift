// Tests of the temporaries writers fill before renaming them into place: their names, and the
// removal of those a killed writer left behind (and only those).
import Testing
import Common
import Foundation
import Glibc

@Suite struct FileIOTemporariesTests {
  /// A fresh directory, removed by the caller.
  func scratch() -> String {
    let path = NSTemporaryDirectory() + "fgf-temporaries-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    mkdir(path, 0o700)
    return path
  }

  /// The pid of a process that has exited (and been reaped).
  func deadPID() throws -> pid_t {
    var pid: pid_t = 0
    let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
    defer { arguments.forEach { free($0) } }
    #expect(posix_spawn(&pid, "/bin/true", nil, nil, arguments, nil) == 0)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return pid
  }

  /// `temporary`'s name with its pid replaced by `pid` (and its host by `host` if given).
  func renamed(_ temporary: String, pid: pid_t, host: String? = nil) -> String {
    var fields = temporary.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    fields[fields.count - 2] = String(pid)
    if let host { fields[fields.count - 3] = host }
    return fields.joined(separator: "-")
  }

  func touch(_ path: String) { _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])) }
  func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  @Test func temporariesLieBesideTheirTargetAndNameTheirWriter() throws {
    let directory = scratch()
    defer { FileIO.removeTree(directory) }
    let target = directory + "/run-1.ckpt"
    let a = FileIO.temporaryPath(for: target), b = FileIO.temporaryPath(for: target)
    #expect(a != b)
    #expect(a.hasPrefix(target + ".tmp-"))
    #expect(a.split(separator: "-").dropLast().last.map(String.init) == String(getpid()))
    let hidden = FileIO.temporaryPath(for: target, hidden: true)
    #expect(hidden.hasPrefix(directory + "/.run-1.ckpt.tmp-"))
    #expect(FileIO.temporaryPath(for: "plain").hasPrefix("plain.tmp-"))
  }

  @Test func onlyTemporariesOfDeadWritersOnThisHostAreRemoved() throws {
    let directory = scratch()
    defer { FileIO.removeTree(directory) }
    let target = directory + "/model-v2.safetensors"
    let dead = try deadPID()
    let stale = renamed(FileIO.temporaryPath(for: target), pid: dead)
    let staleHidden = renamed(FileIO.temporaryPath(for: target, hidden: true), pid: dead)
    let mine = FileIO.temporaryPath(for: target)                                   // this live process
    let parent = renamed(FileIO.temporaryPath(for: target), pid: getppid())        // another live process
    let elsewhere = renamed(FileIO.temporaryPath(for: target), pid: dead, host: "other.host")
    let otherTarget = renamed(FileIO.temporaryPath(for: directory + "/model"), pid: dead)
    for path in [stale, mine, parent, elsewhere, otherTarget, target, directory + "/model-v2.safetensors.tmp-notes"] { touch(path) }
    mkdir(staleHidden, 0o755)
    touch(staleHidden + "/inside.nii.gz")

    let removed = FileIO.removeStaleTemporaries(of: target)
    #expect(Set(removed) == [stale, staleHidden])
    #expect(!exists(stale) && !exists(staleHidden))
    for kept in [mine, parent, elsewhere, otherTarget, target, directory + "/model-v2.safetensors.tmp-notes"] {
      #expect(exists(kept), "\(kept) was removed")
    }
    // A whole directory (a cache) at once: the other target's stale temporary goes too.
    #expect(FileIO.removeStaleTemporaries(in: directory) == [otherTarget])
  }

  @Test func anAtomicWriteLeavesNoTemporaryAndRemovesStaleOnes() throws {
    let directory = scratch()
    defer { FileIO.removeTree(directory) }
    let target = directory + "/table.csv"
    let stale = renamed(FileIO.temporaryPath(for: target), pid: try deadPID())
    touch(stale)
    try FileIO.writeAtomically(Array("a,b\n".utf8), to: target)
    #expect(FileIO.listDirectory(directory) == ["table.csv"])
    #expect(try FileIO.read(target) == Array("a,b\n".utf8))
  }

  @Test func removeTreeRemovesLinksNotWhatTheyPointTo() throws {
    let directory = scratch(), outside = scratch()
    defer { FileIO.removeTree(directory); FileIO.removeTree(outside) }
    touch(outside + "/keep")
    mkdir(directory + "/sub", 0o755)
    touch(directory + "/sub/file")
    symlink(outside, directory + "/sub/link")
    FileIO.removeTree(directory)
    #expect(!exists(directory))
    #expect(exists(outside + "/keep"))
  }
}
