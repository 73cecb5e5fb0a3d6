// `fgf import dicom|hecktor|sample`: turn a DICOM tree (CT + RTSTRUCT) or a HECKTOR release into a
// cohort directory (Imaging.DICOMImport, Imaging.HecktorImport), with a progress bar on a
// terminal and a summary of what was imported and skipped; `sample` writes made-up source trees.

import ArgumentParser
import Common
import Foundation
import Imaging

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Turn DICOM CT + RTSTRUCT or a HECKTOR release into a cohort directory.",
    subcommands: [ImportDICOMCommand.self, ImportHecktorCommand.self, ImportSampleCommand.self])
}

/// Options the importers share: labels, splits, seed.
struct ImportLabelOptions: ParsableArguments {
  @Option(name: .customLong("id-column"), help: ArgumentHelp("Column of the label table holding patient ids.", valueName: "C"))
  var idColumn: String?

  @Option(name: .customLong("split-column"), help: ArgumentHelp("Column of the label table holding train/val/test (default: a seeded stratified 60/20/20 split).", valueName: "C"))
  var splitColumn: String?

  @Option(help: "Seed of the 60/20/20 split.")
  var seed: UInt64 = 0
}

struct ImportDICOMCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dicom",
    abstract: "Import CT series and RT structure sets from a directory of DICOM files.",
    discussion: """
      SRC is searched recursively (a TCIA download works as it is). Per PatientID, the RT structure \
      set with an ROI matching --roi and the CT series it was drawn on become images/ID.nii.gz and \
      masks/ID.nii.gz; labels come from --clinical. The cohort is built in OUT.partial and renamed \
      to OUT when done; running the same command again resumes an interrupted import. \
      import-report.txt in OUT lists every patient, imported or skipped, and why.
      Default ROI pattern: \(ROISelector.defaultPattern) (case-insensitive).
      """)

  @Argument(help: ArgumentHelp("Directory of DICOM files.", valueName: "SRC"))
  var source: String

  @Option(name: .customLong("out"), help: ArgumentHelp("Cohort directory to create.", valueName: "DIR"))
  var output: String

  @Option(help: ArgumentHelp("Clinical table (CSV) with DM labels.", valueName: "FILE.csv"))
  var clinical: String?

  @Option(name: .customLong("label-column"), help: ArgumentHelp("Column of the clinical table holding the DM label (0/1).", valueName: "C"))
  var labelColumn = "label"

  @Option(name: .customLong("roi"), help: ArgumentHelp("Regular expression for the GTV ROI name (repeatable, tried in order).", valueName: "PATTERN"))
  var roi: [String] = []

  @OptionGroup var labels: ImportLabelOptions

  func run() throws {
    var options = DICOMImport.Options(source: source, output: output)
    options.roiPatterns = roi
    options.clinical = clinical
    options.idColumn = labels.idColumn
    options.labelColumn = labelColumn
    options.splitColumn = labels.splitColumn
    options.seed = labels.seed
    try ImportOutput.run { bar, interruption in
      try DICOMImport.run(options, progress: bar?.callback, cancelled: interruption.callback)
    }
  }
}

struct ImportHecktorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hecktor",
    abstract: "Import a HECKTOR release (NIfTI CT and label maps).",
    discussion: """
      Layouts: imagesTr/ID__CT.nii.gz with labelsTr/ID.nii.gz (2022; also imagesTs/labelsTs), or \
      one folder per patient with ID__CT.nii.gz and ID.nii.gz (2025 task folders, 2026). The mask \
      is label 1 (primary GTV) and must be on the CT's grid; the CT file is copied as it is.
      """)

  @Argument(help: ArgumentHelp("The release's directory.", valueName: "SRC"))
  var source: String

  @Option(name: .customLong("out"), help: ArgumentHelp("Cohort directory to create.", valueName: "DIR"))
  var output: String

  @Option(help: ArgumentHelp("Endpoint or clinical table (CSV) with labels.", valueName: "FILE.csv"))
  var endpoint: String?

  @Option(name: .customLong("label-column"), help: ArgumentHelp("Column of the table holding the label (0/1).", valueName: "C"))
  var labelColumn = "Relapse"

  @OptionGroup var labels: ImportLabelOptions

  func run() throws {
    var options = HecktorImport.Options(source: source, output: output)
    options.endpoint = endpoint
    options.idColumn = labels.idColumn ?? "PatientID"
    options.labelColumn = labelColumn
    options.splitColumn = labels.splitColumn
    options.seed = labels.seed
    try ImportOutput.run { bar, interruption in
      try HecktorImport.run(options, progress: bar?.callback, cancelled: interruption.callback)
    }
  }
}

struct ImportSampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample",
    abstract: "Write a small made-up source tree to try the importers on.",
    discussion: """
      dicom: a TCIA-like tree of CT series and RT structure sets in several transfer syntaxes and \
      ROI namings, with clinical.csv (label column dm); its last three patients are skipped by an \
      import (no RTSTRUCT, no primary GTV, JPEG 2000). hecktor-2022 / hecktor-folders: a HECKTOR \
      release with endpoint.csv; its last case has no primary tumour.
      """)

  @Argument(help: ArgumentHelp("Directory to write (created).", valueName: "DIR"))
  var directory: String

  @Option(help: "dicom, hecktor-2022 or hecktor-folders.")
  var layout = "dicom"

  @Option(help: "Number of patients.")
  var patients = 8

  func run() throws {
    let ids: [String]
    switch layout {
    case "dicom": ids = try ImportSamples.writeDICOM(to: directory, patients: patients)
    default:
      guard let style = ImportSamples.HecktorStyle(rawValue: layout) else {
        throw ValidationError("--layout must be dicom, hecktor-2022 or hecktor-folders")
      }
      ids = try ImportSamples.writeHecktor(to: directory, style: style, patients: patients)
    }
    print("wrote \(ids.count) sample patients (\(layout)) to \(directory)")
  }
}

/// The summary an import prints, and its exit status.
enum ImportOutput {
  /// Runs an import with a progress bar (on a terminal) and Ctrl-C, SIGTERM or SIGHUP stopping
  /// it after the current patient, then prints its summary.
  static func run(_ body: (ProgressBar?, Interruption) throws -> ImportSummary) throws {
    let bar = ProgressBar.onTerminal()
    let interruption = Interruption.start(bar: bar)
    defer { bar?.clear() }
    let summary: ImportSummary
    do {
      summary = try body(bar, interruption)
    } catch let cancelled as ImportCancelled {
      bar?.clear()
      FileHandle.standardError.write(Data("\(cancelled)\n".utf8))
      throw ExitCode(130)
    }
    bar?.clear()
    try finish(summary)
  }

  static func finish(_ summary: ImportSummary) throws {
    let problems = summary.skipped.map { "  \($0.id): \($0.reason.description)" }
    guard !summary.imported.isEmpty else {
      FileHandle.standardError.write(Data((summary.report + "\nerror: no patient could be imported; nothing was written\n").utf8))
      throw ExitCode.failure
    }
    let splits = Split.allCases.map { split in "\(split.rawValue) \(summary.imported.filter { $0.split == split }.count)" }
    var lines = ["imported \(summary.imported.count) patient\(summary.imported.count == 1 ? "" : "s") into \(summary.output) "
                 + "(\(splits.joined(separator: ", ")); label 1: \(summary.imported.filter { $0.label == 1 }.count))"]
    if summary.resumed > 0 { lines.append("resumed: \(summary.resumed) patients were already written by an interrupted run") }
    if !summary.labelsKnown { lines.append("warning: no label table given; every label is 0 (label_known = no)") }
    if !summary.skipped.isEmpty {
      lines.append("skipped \(summary.skipped.count): " + summary.skipCounts.map { "\($0.category.rawValue) \($0.count)" }.joined(separator: ", "))
      lines += problems
    }
    if !summary.unmatchedLabelRows.isEmpty {
      lines.append("\(summary.unmatchedLabelRows.count) label table rows matched no imaged patient")
    }
    lines.append("report: \(summary.output)/import-report.txt")
    print(lines.joined(separator: "\n"))
  }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, at most ~10 times a second.
final class ProgressBar: @unchecked Sendable {
  private let lock = NSLock()
  private var lastDraw = 0.0
  private var drawn = false

  static func onTerminal() -> ProgressBar? { isatty(2) == 1 ? ProgressBar() : nil }

  /// `show` as a callback for the importers.
  var callback: @Sendable (ImportProgress) -> Void { { [self] progress in self.show(progress) } }

  func show(_ progress: ImportProgress) {
    lock.lock(); defer { lock.unlock() }
    let now = Date().timeIntervalSince1970
    guard now - lastDraw >= 0.1 || progress.done == progress.total else { return }
    lastDraw = now
    let width = 30
    let filled = progress.total > 0 ? width * progress.done / progress.total : 0
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let item = progress.item.count > 30 ? String(progress.item.prefix(29)) + "…" : progress.item
    FileHandle.standardError.write(Data("\r\u{1B}[K\(progress.phase) [\(bar)] \(progress.done)/\(progress.total) \(item)".utf8))
    drawn = true
  }

  func clear() {
    lock.lock(); defer { lock.unlock() }
    if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}

/// Stops an import cleanly on SIGINT, SIGTERM or SIGHUP: the first signal asks the importer to
/// stop after the current patient (everything written so far is kept for a resume); a second
/// Ctrl-C quits at once, which is also safe since every file is written atomically.
final class Interruption: @unchecked Sendable {
  private let lock = NSLock()
  private var requested = false
  private var sources: [DispatchSourceSignal] = []

  static func start(bar: ProgressBar?) -> Interruption {
    let interruption = Interruption()
    for number in [SIGINT, SIGTERM, SIGHUP] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [interruption] in
        if interruption.request() {
          bar?.clear()
          FileHandle.standardError.write(Data("\ninterrupted: stopping after the current patient (Ctrl-C again to quit now)\n".utf8))
        } else {
          exit(130)
        }
      }
      source.resume()
      interruption.sources.append(source)
    }
    return interruption
  }

  /// Records a request; true for the first one.
  private func request() -> Bool {
    lock.lock(); defer { lock.unlock() }
    defer { requested = true }
    return !requested
  }

  var callback: @Sendable () -> Bool {
    { [self] in
      self.lock.lock(); defer { self.lock.unlock() }
      return self.requested
    }
  }
}
