// `fgf synth`: writes a synthetic head-and-neck CT cohort directory (NIfTI volumes, GTV masks and
// cohort.csv with the generator's ground truth). Ctrl-C, SIGTERM or a dropped SSH session cancel
// cleanly: the half-built temporary directory is removed and the target is never created.

import ArgumentParser
import Dispatch
import Foundation
import Common
import Glibc
import Imaging

struct SynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Write a synthetic head-and-neck CT cohort (NIfTI + cohort.csv).",
    discussion: """
      Each patient gets a 160×160×28 CT (1×1×3 mm, HU) with a primary tumour, its GTV mask, \
      clinical columns and the ground truth (true volume, irregularity, heterogeneity, DM \
      probability). The same seed always gives the same files; the demo cohort is seed \
      \(SyntheticCohort.demoSeed) with \(SyntheticCohort.demoPatients) patients.
      """)

  @Option(name: .long, help: ArgumentHelp("The cohort directory to create (must not exist, or be empty).", valueName: "dir"))
  var out: String

  @Option(name: .long, help: "Number of patients (1–100000).")
  var patients: Int = SyntheticCohort.demoPatients

  @Option(name: .long, help: "Random seed.")
  var seed: UInt64 = SyntheticCohort.demoSeed

  @Option(name: .long, help: "gzip level of the .nii.gz files (1 fastest … 9 smallest; noisy CT barely shrinks beyond 1).")
  var compression: Int = 1

  @Flag(name: .long, help: "Print nothing but errors.")
  var quiet = false

  func validate() throws {
    guard (1...100_000).contains(patients) else { throw ValidationError("--patients must be between 1 and 100000") }
    guard (1...9).contains(compression) else { throw ValidationError("--compression must be between 1 and 9") }
    guard !out.isEmpty else { throw ValidationError("--out needs a directory name") }
  }

  func run() throws {
    let started = DispatchTime.now()
    let cohort = SyntheticCohort(patients: patients, seed: seed)
    let cancelled = CancellationFlag()
    let sources = [SIGINT, SIGTERM, SIGHUP].map { number -> DispatchSourceSignal in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { cancelled.set() }
      source.resume()
      return source
    }
    defer { sources.forEach { $0.cancel() } }
    let total = patients
    let showProgress = !quiet && isatty(STDERR_FILENO) == 1
    var progress: (@Sendable (Int) -> Void)? = nil
    if showProgress {
      progress = { done in FileHandle.standardError.write(Data("\rfgf synth: \(done)/\(total) patients".utf8)) }
    }
    do throws(FileError) {
      try cohort.write(to: out, compressionLevel: compression, progress: progress, isCancelled: { cancelled.isSet })
    } catch {
      if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
      FileHandle.standardError.write(Data("fgf synth: \(cancelled.isSet ? "cancelled; nothing was written" : error.description)\n".utf8))
      throw ExitCode(cancelled.isSet ? 130 : 1)
    }
    if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
    guard !quiet else { return }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    let positives = cohort.patients.filter { $0.label == 1 }.count
    let splits = Split.allCases.map { split in "\(cohort.patients.filter { $0.split == split }.count) \(split.rawValue)" }
    print("Wrote \(patients) patients to \(out) in \(String(format: "%.1f", seconds)) s: "
          + "DM in \(positives) (\(String(format: "%.1f", 100 * Double(positives) / Double(patients)))%), "
          + splits.joined(separator: " / ") + ".")
  }
}

/// Set from a signal handler's queue, read by the writer's workers.
final class CancellationFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  func set() { lock.withLock { value = true } }
  var isSet: Bool { lock.withLock { value } }
}

