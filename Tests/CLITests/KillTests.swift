// The kill test (issue 7): `fgf synth` and `fgf train` (and `fgf import`, in KillTests+Import)
// are killed with SIGKILL at random moments, at least 20 times each, on small workloads. After
// each kill every file left behind is checked: a file under its final name must open with fgf's
// reader and be exactly what an uninterrupted run writes (never a partial file a later run would
// accept); a temporary (named `*.tmp-*`) must be refused by its reader or be complete. Then the
// command is run again (with --resume where it exists): it must finish, give the uninterrupted
// run's result bit for bit, and leave no temporary behind. The counts are printed.

import Common
import Engine
import Foundation
import Glibc
import Imaging
import Testing

/// What a kill test did and found.
struct KillCounts: CustomStringConvertible {
  var runs = 0, kills = 0, completedBeforeKill = 0, filesChecked = 0, refusedTemporaries = 0
  var failures: [String] = []

  var description: String {
    "\(runs) runs, \(kills) kills (\(completedBeforeKill) more runs finished before their kill), "
      + "\(filesChecked) files checked (\(refusedTemporaries) partial temporaries refused), \(failures.count) failures"
  }

  mutating func fail(_ problem: String) { failures.append(problem) }
}

/// Launching fgf, killing it, and the checks the kill tests share.
enum KillHarness {
  static let killsPerCommand = 20

  /// A splitmix64 stream: kill moments that are random but the same from run to run.
  struct Moments {
    var state: UInt64
    mutating func next() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
  }

  /// A fresh directory under the system's temporary directory.
  static func scratch(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "fgf-kill-\(getpid())-\(name)"
    FileIO.removeTree(path)
    mkdir(path, 0o755)
    return path
  }

  /// Runs fgf to completion; returns its exit status and the wall time in seconds.
  static func run(_ arguments: [String], counts: inout KillCounts) throws -> (status: Int32, seconds: Double, stderr: String) {
    counts.runs += 1
    let started = Date()
    let result = try FGFBinary.run(arguments, environment: ["FGF_THREADS": "2", "PATH": "/usr/bin:/bin"])
    return (result.status, Date().timeIntervalSince(started), result.stderr)
  }

  /// Starts fgf and sends it SIGKILL after `delay` seconds unless it has finished. True when the
  /// process died of the SIGKILL.
  static func runAndKill(_ arguments: [String], after delay: Double, counts: inout KillCounts) throws -> Bool {
    counts.runs += 1
    let process = Process()
    process.executableURL = URL(fileURLWithPath: FGFBinary.path)
    process.arguments = arguments
    process.environment = ["FGF_THREADS": "2", "PATH": "/usr/bin:/bin"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(useconds_t(max(0, delay) * 1e6))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let killed = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    if killed { counts.kills += 1 } else { counts.completedBeforeKill += 1 }
    return killed
  }

  /// Every regular file under `directory`, relative to it (hidden ones included).
  static func files(under directory: String) -> [String] {
    var found: [String] = []
    func walk(_ relative: String) {
      let path = relative.isEmpty ? directory : directory + "/" + relative
      for name in FileIO.listDirectory(path).sorted() {
        let child = relative.isEmpty ? name : relative + "/" + name
        var info = stat()
        guard lstat(directory + "/" + child, &info) == 0 else { continue }
        if (info.st_mode & S_IFMT) == S_IFDIR { walk(child) } else { found.append(child) }
      }
    }
    walk("")
    return found
  }

  /// Whether a path (relative) names a writer's temporary rather than a result.
  static func isTemporary(_ relative: String) -> Bool {
    relative.split(separator: "/").contains { $0.contains(".tmp-") }
  }

  /// The final name a temporary stands for: "images/.x.tmp-h-1-a/SYN-1.nii.gz.tmp-h-1-b" → "images/SYN-1.nii.gz".
  static func finalName(_ relative: String) -> String {
    relative.split(separator: "/").map { component -> String in
      var name = String(component)
      if let range = name.range(of: ".tmp-") { name = String(name[..<range.lowerBound]) }
      return name.hasPrefix(".") ? String(name.dropFirst()) : name
    }.joined(separator: "/")
  }

  /// Checks `file` (path under a workspace) against `expected`, the bytes an uninterrupted run
  /// writes under its final name: a final file must open with `open` and equal them; a temporary
  /// must be refused by `open` or equal them.
  static func check(_ file: String, temporary: Bool, expected: [UInt8]?, open: ([UInt8], String) throws -> Void,
                    counts: inout KillCounts) {
    counts.filesChecked += 1
    guard let bytes = try? FileIO.read(file) else { return counts.fail("\(file): cannot be read back") }
    var opened = true
    do { try open(bytes, file) } catch { opened = false }
    let complete = expected.map { $0 == bytes } ?? false
    if temporary {
      if !opened { counts.refusedTemporaries += 1 } else if !complete { counts.fail("\(file): a partial temporary opens") }
    } else if !opened {
      counts.fail("\(file): under its final name but refused by its reader")
    } else if !complete {
      counts.fail("\(file): under its final name, opens, but differs from an uninterrupted run's (\(bytes.count) bytes)")
    }
  }

  /// After an attempt's re-run: no temporary may remain in `workspace`; then it is removed.
  static func endAttempt(_ attempt: Int, workspace: String, counts: inout KillCounts) {
    let left = temporaries(under: workspace)
    if !left.isEmpty { counts.fail("after the re-run of attempt \(attempt), temporaries remain: \(left)") }
    FileIO.removeTree(workspace)
  }

  /// Prints the counts of a command's kill test, records every failure and expects enough kills.
  static func report(_ counts: KillCounts, command: String) {
    print("kill test, \(command): \(counts)")
    for failure in counts.failures { Issue.record(Comment(rawValue: failure)) }
    #expect(counts.kills >= killsPerCommand)
  }

  /// The temporaries still under `directory`.
  static func temporaries(under directory: String) -> [String] {
    var found = files(under: directory).filter(isTemporary)
    // Empty temporary directories hold no file but are litter too.
    for entry in FileIO.listDirectory(directory) where entry.contains(".tmp-") && !found.contains(where: { $0.hasPrefix(entry + "/") }) {
      found.append(entry)
    }
    return found
  }
}

@Suite(.serialized) struct KillTests {
  @Test func synthLeavesTheOldOrTheNewCohortAndReRunsCleanly() throws {
    var counts = KillCounts()
    let base = KillHarness.scratch("synth")
    defer { FileIO.removeTree(base) }
    let arguments = ["synth", "--patients", "3", "--seed", "77", "--quiet"]
    let reference = base + "/reference"
    let first = try KillHarness.run(arguments + ["--out", reference], counts: &counts)
    try #require(first.status == 0, "\(first.stderr)")
    let cohort = try CohortDirectory(path: reference)
    #expect(cohort.patients.count == 3)
    var expected: [String: [UInt8]] = [:]
    for file in KillHarness.files(under: reference) { expected[file] = try FileIO.read(reference + "/" + file) }
    func open(_ relative: String) -> ([UInt8], String) throws -> Void {
      if relative.hasSuffix(".nii.gz") { return { bytes, path in _ = try NIfTIFile.decode(bytes, path: path) } }
      return { bytes, path in _ = try CohortCSV.parse(bytes, path: path) }
    }

    var moments = KillHarness.Moments(state: 0x5EED_0007)
    var attempt = 0
    while counts.kills < KillHarness.killsPerCommand && attempt < 3 * KillHarness.killsPerCommand {
      attempt += 1
      let workspace = base + "/attempt-\(attempt)", target = workspace + "/cohort"
      mkdir(workspace, 0o755)
      _ = try KillHarness.runAndKill(arguments + ["--out", target], after: moments.next() * first.seconds, counts: &counts)
      // Every file under a final name (in the target, or in the hidden directory it is built in)
      // is complete; files under a temporary name are refused or complete.
      for file in KillHarness.files(under: workspace) {
        let name = String(KillHarness.finalName(file).dropFirst("cohort/".count))
        let temporary = file.split(separator: "/").last?.contains(".tmp-") == true
        KillHarness.check(workspace + "/" + file, temporary: temporary, expected: expected[name], open: open(name), counts: &counts)
      }
      if access(target, F_OK) == 0 {
        counts.filesChecked += 1
        if (try? CohortDirectory(path: target)) == nil { counts.fail("\(target): the cohort is there but does not open") }
        if Set(KillHarness.files(under: target)) != Set(expected.keys) { counts.fail("\(target): not the complete cohort") }
      } else {
        let again = try KillHarness.run(arguments + ["--out", target], counts: &counts)
        if again.status != 0 { counts.fail("re-run after kill \(attempt): \(again.stderr)") }
        for file in KillHarness.files(under: target) where (try? FileIO.read(target + "/" + file)) != expected[file] {
          counts.fail("re-run after kill \(attempt): \(file) differs from an uninterrupted run's")
        }
      }
      KillHarness.endAttempt(attempt, workspace: workspace, counts: &counts)
    }
    KillHarness.report(counts, command: "fgf synth")
  }

  @Test func trainLeavesLoadableFilesAndResumesToTheSameModel() throws {
    var counts = KillCounts()
    let base = KillHarness.scratch("train")
    defer { FileIO.removeTree(base) }
    let input = base + "/in.safetensors"
    try EngineCommandTests.writeInputs(input, count: 12)
    let arguments = ["train", "--tensors", input, "--epochs", "4", "--batch-size", "4", "--seed", "5"]
    let referenceModel = base + "/reference.safetensors", referenceCheckpoint = base + "/reference.ckpt"
    let first = try KillHarness.run(arguments + ["--checkpoint", referenceCheckpoint, "--out", referenceModel], counts: &counts)
    try #require(first.status == 0, "\(first.stderr)")
    let expectedModel = try FileIO.read(referenceModel)
    _ = try Model.decode(expectedModel, path: referenceModel)
    // A completed run removes its checkpoint (README, `fgf train`).
    #expect(access(referenceCheckpoint, F_OK) != 0)

    var moments = KillHarness.Moments(state: 0x5EED_0011)
    var attempt = 0
    while counts.kills < KillHarness.killsPerCommand && attempt < 3 * KillHarness.killsPerCommand {
      attempt += 1
      let workspace = base + "/attempt-\(attempt)"
      mkdir(workspace, 0o755)
      let model = workspace + "/model.safetensors", checkpoint = workspace + "/run.ckpt"
      let command = arguments + ["--checkpoint", checkpoint, "--out", model]
      _ = try KillHarness.runAndKill(command, after: moments.next() * first.seconds, counts: &counts)
      for file in KillHarness.files(under: workspace) {
        let temporary = KillHarness.isTemporary(file)
        if KillHarness.finalName(file) == "model.safetensors" {
          KillHarness.check(workspace + "/" + file, temporary: temporary, expected: expectedModel,
                            open: { bytes, path in _ = try Model.decode(bytes, path: path) }, counts: &counts)
        } else {
          // A checkpoint of an earlier epoch is complete but not the last one: it must open, and
          // a temporary must be refused unless it is a whole checkpoint.
          counts.filesChecked += 1
          let bytes = (try? FileIO.read(workspace + "/" + file)) ?? []
          let opens = (try? SafetensorsFile.parse(bytes, path: file))?.metadata["fgf.checkpoint"] != nil
          if !temporary && !opens { counts.fail("\(file): the checkpoint under its final name does not open") }
          if temporary && !opens { counts.refusedTemporaries += 1 }
        }
      }
      let resume = access(checkpoint, F_OK) == 0 ? ["--resume"] : []
      let again = try KillHarness.run(command + resume, counts: &counts)
      if again.status != 0 { counts.fail("re-run\(resume.isEmpty ? "" : " --resume") after kill \(attempt): \(again.stderr)") }
      if (try? FileIO.read(model)) != expectedModel { counts.fail("attempt \(attempt): the re-run's model differs from an uninterrupted run's") }
      if access(checkpoint, F_OK) == 0 { counts.fail("attempt \(attempt): the completed re-run left its checkpoint") }
      KillHarness.endAttempt(attempt, workspace: workspace, counts: &counts)
    }
    KillHarness.report(counts, command: "fgf train")
  }
}
