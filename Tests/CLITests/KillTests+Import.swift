// The kill test of `fgf import` (issue 7): a DICOM tree and a HECKTOR release written by
// `fgf import sample` are imported, and the import is killed with SIGKILL at random moments, at
// least 20 times per layout. After each kill: a cohort under the output name must be the complete
// one; in the build directory (OUT.partial) every image and mask under its final name must open
// and be exactly the uninterrupted run's, every journal entry must parse, every temporary must be
// refused or complete. The same command is then run again: it must resume, finish with the
// uninterrupted run's cohort (images, masks and cohort.csv bit for bit; the report up to its
// output path and resume note) and leave neither the build directory nor a temporary behind.

import Common
import Foundation
import Glibc
import Imaging
import Testing

extension KillTests {
  static let reportName = "import-report.txt"

  @Test func importOfADICOMTreeResumesToTheSameCohort() throws {
    try Self.killImport(layout: "dicom", arguments: { source in
      ["import", "dicom", source, "--clinical", source + "/clinical.csv", "--label-column", "dm"]
    }, seed: 0x5EED_0013)
  }

  @Test func importOfAHecktorReleaseResumesToTheSameCohort() throws {
    try Self.killImport(layout: "hecktor-2022", arguments: { source in
      ["import", "hecktor", source, "--endpoint", source + "/endpoint.csv"]
    }, seed: 0x5EED_0017)
  }

  /// The report of an import with what legitimately differs between runs taken out: the output
  /// path, and the note that some patients were written by an interrupted run.
  static func comparableReport(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.hasPrefix("output: ") }
      .joined(separator: "\n")
      .replacingOccurrences(of: #", \d+ of them written by an earlier, interrupted run"#, with: "", options: .regularExpression)
  }

  static func killImport(layout: String, arguments: (String) -> [String], seed: UInt64) throws {
    var counts = KillCounts()
    let base = KillHarness.scratch("import-\(layout)")
    defer { FileIO.removeTree(base) }
    let source = base + "/source"
    let sample = try KillHarness.run(["import", "sample", source, "--layout", layout, "--patients", "5"], counts: &counts)
    try #require(sample.status == 0, "\(sample.stderr)")
    let command = arguments(source)
    let reference = base + "/reference"
    let first = try KillHarness.run(command + ["--out", reference], counts: &counts)
    try #require(first.status == 0, "\(first.stderr)")
    _ = try CohortDirectory(path: reference)
    var expected: [String: [UInt8]] = [:]
    for file in KillHarness.files(under: reference) { expected[file] = try FileIO.read(reference + "/" + file) }
    let report = try #require(expected[Self.reportName])

    /// Checks a cohort's files against the reference; `context` says which run made it.
    func checkCohort(_ cohort: String, _ context: String) {
      counts.filesChecked += 1
      if (try? CohortDirectory(path: cohort)) == nil { counts.fail("\(context): \(cohort) does not open as a cohort") }
      let files = KillHarness.files(under: cohort)
      if Set(files) != Set(expected.keys) { counts.fail("\(context): files \(files.sorted()) instead of \(expected.keys.sorted())") }
      for file in files {
        counts.filesChecked += 1
        guard let bytes = try? FileIO.read(cohort + "/" + file) else { counts.fail("\(context): \(file) cannot be read"); continue }
        if file == Self.reportName {
          if comparableReport(bytes) != comparableReport(report) { counts.fail("\(context): the report differs:\n\(String(decoding: bytes, as: UTF8.self))") }
        } else if bytes != expected[file] {
          counts.fail("\(context): \(file) differs from an uninterrupted run's")
        }
      }
    }

    /// The reader of a file in the build directory (relative to it).
    func open(_ relative: String) -> ([UInt8], String) throws -> Void {
      if relative.hasSuffix(".nii.gz") || relative.hasSuffix(".nii") { return { bytes, path in _ = try NIfTIFile.decode(bytes, path: path) } }
      if relative.hasSuffix(".csv") { return { bytes, path in _ = try CohortCSV.parse(bytes, path: path) } }
      if relative.hasSuffix(".json") {
        return { bytes, path in
          let json = try JSONValue.parse(bytes)
          // A journal entry names its files; options.json is an object too.
          guard case .object = json else { throw FileError(path: path, problem: "not a JSON object") }
        }
      }
      return { bytes, path in
        guard String(validatingCString: bytes.map { CChar(bitPattern: $0) } + [0]) != nil else {
          throw FileError(path: path, problem: "not text")
        }
      }
    }

    var moments = KillHarness.Moments(state: seed)
    // The span kill moments are drawn from: the reference run's time, shrunk whenever a run
    // finishes before its kill (a reference slowed by a busy machine would otherwise kill nothing).
    var span = first.seconds
    var attempt = 0
    while counts.kills < KillHarness.killsPerCommand && attempt < 3 * KillHarness.killsPerCommand {
      attempt += 1
      let workspace = base + "/attempt-\(attempt)", output = workspace + "/cohort", partial = output + ".partial"
      mkdir(workspace, 0o755)
      let killed = try KillHarness.runAndKill(command + ["--out", output], after: moments.next() * span, counts: &counts)
      if !killed { span *= 0.7 }
      if access(output, F_OK) == 0 {
        checkCohort(output, "after kill \(attempt)")
        if !killed { FileIO.removeTree(workspace); continue }
      }
      for file in KillHarness.files(under: workspace) where file.hasPrefix("cohort.partial/") {
        let inside = String(file.dropFirst("cohort.partial/".count))
        let temporary = KillHarness.isTemporary(inside)
        let name = KillHarness.finalName(inside)
        if inside.hasPrefix(".import/") {
          // The journal: options.json and one entry per patient, each written atomically.
          counts.filesChecked += 1
          let opens = (try? open(name)(FileIO.read(partial + "/" + inside), file)) != nil
          if !temporary && !opens { counts.fail("\(file): a journal file under its final name does not parse") }
          if temporary && !opens { counts.refusedTemporaries += 1 }
        } else if name == Self.reportName {
          counts.filesChecked += 1
          let bytes = (try? FileIO.read(partial + "/" + inside)) ?? []
          if !temporary && comparableReport(bytes) != comparableReport(report) { counts.fail("\(file): an incomplete report under its final name") }
          if temporary && comparableReport(bytes) != comparableReport(report) { counts.refusedTemporaries += 1 }
        } else {
          KillHarness.check(partial + "/" + inside, temporary: temporary, expected: expected[name], open: open(name), counts: &counts)
        }
      }
      if access(output, F_OK) != 0 {
        let again = try KillHarness.run(command + ["--out", output], counts: &counts)
        if again.status != 0 {
          counts.fail("re-run after kill \(attempt): status \(again.status): \(again.stderr)")
        } else {
          checkCohort(output, "re-run after kill \(attempt)")
        }
      }
      if access(partial, F_OK) == 0 { counts.fail("attempt \(attempt): \(partial) is left behind") }
      KillHarness.endAttempt(attempt, workspace: workspace, counts: &counts)
    }
    KillHarness.report(counts, command: "fgf import (\(layout))")
  }
}
