// `fgf cohort DIR`: checks a cohort directory (cohort.csv and every NIfTI header) and
// summarises it; `--crops` also preprocesses every patient into the crop cache and lists the
// patients that fail; `--export OUT` writes the crops as one safetensors file (the input format
// of `--tensors`). Exit status 1 when the cohort cannot be opened or a crop fails.

import ArgumentParser
import Common
import Foundation
import Imaging
import Pipeline

struct CohortCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cohort",
    abstract: "Check a cohort directory and summarise it; --crops also preprocesses every patient.",
    discussion: """
      --export OUT.safetensors writes the crops of the patients that preprocess: x and mask \
      [N,3,64,64], label, split (0 train, 1 val, 2 test), centre [N,3] and slice_thickness [N], \
      with the patient ids in the metadata (fgf.patients). It is the input format of \
      `fgf analyze --tensors` and `fgf train --tensors`.
      """)

  @Argument(help: "The cohort directory (or its cohort.csv).")
  var path: String

  @Flag(help: "Skip invalid rows with a warning each instead of stopping at the first.")
  var skipInvalid = false

  @Flag(help: "Also preprocess every patient (filling the crop cache) and report the ones that fail.")
  var crops = false

  @Option(name: .customLong("export"), help: ArgumentHelp("Write the crops to this safetensors file (implies --crops).", valueName: "OUT"))
  var exportPath: String?

  @Flag(help: "Print the summary as JSON on standard output.")
  var json = false

  func run() throws {
    let clock = ContinuousClock()
    let opening = clock.now
    let cohort = try CohortDirectory(path: path, skipInvalid: skipInvalid) { warning($0) }
    let openSeconds = seconds(clock.now - opening)

    var summary: [(key: String, value: JSONValue)] = [
      ("path", .string(cohort.name)),
      ("patients", .number(cohort.patients.count)),
      ("open_seconds", .number(openSeconds)),
      ("splits", .object(Split.allCases.map { split in
        let members = cohort.patients.filter { $0.split == split }
        return (split.rawValue, .object([("patients", .number(members.count)),
                                         ("positive", .number(members.filter { $0.label == 1 }.count))]))
      })),
      ("extra_columns", .array(cohort.extraColumns.map(JSONValue.string))),
      ("skipped", .array(cohort.skipped.map { .string($0.description) })),
      ("header_notes", .object(cohort.patients.compactMap { patient in
        let notes = cohort.headerNotes(for: patient)
        return notes.isEmpty ? nil : (key: patient.id, value: JSONValue.array(notes.map(JSONValue.string)))
      })),
    ]
    var text = describe(cohort, openSeconds: openSeconds)
    if let truth = GroundTruthAUC(patients: cohort.patients, extraColumns: cohort.extraColumns) {
      func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
      summary.append(("bayes_auc", .object([("all", number(truth.all))] + Split.allCases.map { ($0.rawValue, number(truth.bySplit[$0])) }
        + [("unreadable", .array(truth.unreadable.map(JSONValue.string)))])))
      func shown(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "—" }
      text += "Bayes AUC (\(GroundTruthAUC.riskColumn) against the labels): all \(shown(truth.all)); "
        + Split.allCases.map { "\($0.rawValue) \(shown(truth.bySplit[$0]))" }.joined(separator: ", ") + "\n"
      if !truth.unreadable.isEmpty { text += "  \(truth.unreadable.count) patients without a readable risk left out\n" }
    }

    var failed = 0
    if crops || exportPath != nil {
      let store = CropStore(cohort: cohort, warnings: { warning($0) })
      let start = clock.now
      let total = cohort.patients.count
      let results = store.results(for: cohort.patients, progress: { done, _ in
        if done % 25 == 0 || done == total { progress("preprocessing \(done)/\(total)") }
      }) ?? []
      let cropSeconds = seconds(clock.now - start)
      if total > 0 { progress(nil) }
      let failures = zip(cohort.patients, results).compactMap { patient, result -> (String, FileError)? in
        if case .failure(let error) = result { return (patient.id, error) } else { return nil }
      }
      failed = failures.count
      let stats = store.statistics
      summary.append(("crops", .object([
        ("ready", .number(total - failed)),
        ("failed", .array(failures.map { .object([("patient", .string($0.0)), ("error", .string($0.1.description))]) })),
        ("seconds", .number(cropSeconds)),
        ("cache", store.cacheDirectory.map(JSONValue.string) ?? .null),
        ("memory_hits", .number(stats.memoryHits)), ("disk_hits", .number(stats.diskHits)),
        ("computed", .number(stats.computed)),
      ])))
      text += "crops: \(total - failed) ready, \(failed) failed in \(format(cropSeconds)) s "
      text += "(\(stats.diskHits) from the cache, \(stats.computed) computed; cache \(store.cacheDirectory ?? "off"))\n"
      for (_, error) in failures { text += "  \(error)\n" }
      if let exportPath {
        let ready = zip(cohort.patients, results).compactMap { patient, result in (try? result.get()).map { (patient, $0) } }
        try CohortExport.write(patients: ready.map(\.0), inputs: ready.map(\.1), cohort: cohort.name, to: exportPath)
        summary.append(("export", .string(exportPath)))
        text += "wrote the crops of \(ready.count) patients to \(exportPath)\n"
      }
    }
    print(json ? JSONValue.object(summary).serialized : text, terminator: json ? "\n" : "")
    if failed > 0 { throw ExitCode(1) }
  }

  func describe(_ cohort: CohortDirectory, openSeconds: Double) -> String {
    let count = cohort.patients.count
    var text = "cohort \(cohort.name): \(count) patient\(count == 1 ? "" : "s") (opened in \(format(openSeconds)) s)\n"
    let rows = Split.allCases.map { split -> [String] in
      let members = cohort.patients.filter { $0.split == split }
      let positive = members.filter { $0.label == 1 }.count
      return [split.rawValue, String(members.count), String(positive), String(members.count - positive)]
    }
    let positive = cohort.patients.filter { $0.label == 1 }.count
    let table = [["split", "patients", "DM 1", "DM 0"]] + rows +
      [["all", String(cohort.patients.count), String(positive), String(cohort.patients.count - positive)]]
    let widths = (0..<4).map { column in table.map { $0[column].count }.max() ?? 0 }
    for row in table {
      let padded = zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
      text += "  " + padded.trimmingCharacters(in: .whitespaces) + "\n"
    }
    text += "extra columns: \(cohort.extraColumns.isEmpty ? "none" : cohort.extraColumns.joined(separator: ", "))\n"
    if !cohort.skipped.isEmpty { text += "skipped rows: \(cohort.skipped.count)\n" }
    text += Self.headerNotes(cohort)
    return text
  }

  /// The NIfTI reader's notes on the patients' headers (repairs, fallbacks, obliquity), the first
  /// `shown` of them, so odd files in real cohorts are visible before anything is trained on them.
  static func headerNotes(_ cohort: CohortDirectory, shown: Int = 10) -> String {
    let noted = cohort.patients.map { ($0.id, cohort.headerNotes(for: $0)) }.filter { !$0.1.isEmpty }
    guard !noted.isEmpty else { return "" }
    let lines = noted.flatMap { id, notes in notes.map { "  \(id) \($0)\n" } }
    var text = "header notes: \(noted.count) patient\(noted.count == 1 ? "" : "s")\n" + lines.prefix(shown).joined()
    if lines.count > shown { text += "  … and \(lines.count - shown) more (--json lists them all)\n" }
    return text
  }

  func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }

  func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}

private func warning(_ text: String) {
  FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
}

/// A progress line on standard error when it is a terminal (nil clears it).
private func progress(_ text: String?) {
  guard isatty(2) != 0 else { return }
  FileHandle.standardError.write(Data((text.map { "\r\($0)" } ?? "\r\u{1B}[K").utf8))
}
