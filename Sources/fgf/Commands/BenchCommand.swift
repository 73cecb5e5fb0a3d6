// `fgf bench`: times the engine's three workloads (Engine.EngineBenchmark) and the explorer's
// per-patient analysis (Pipeline.PatientBenchmark: one patient, all features, both models, white
// baseline), and prints a table or JSON. Meaningful in a release build only.

import ArgumentParser
import Engine
import Foundation
import Pipeline

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the engine: analysis N=256, training steps (batch 32), and one patient's full analysis.")

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  @Option(help: "Timed runs per workload (the median is reported).")
  var runs = 10

  @Option(help: "Worker threads (default: $FGF_THREADS, else 2).")
  var threads: Int?

  @Option(help: "Time only this workload: analysis, regularized-step, plain-step or patient-analysis.")
  var only: String?

  static let patientWorkload = "patient-analysis"

  func validate() throws {
    let workloads = EngineBenchmark.workloads + [Self.patientWorkload]
    if let only, !workloads.contains(only) {
      throw ValidationError("--only must be one of \(workloads.joined(separator: ", "))")
    }
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() throws {
    let workers = threads ?? (ProcessInfo.processInfo.environment["FGF_THREADS"] != nil ? Parallelism.fromEnvironment : 2)
    let note: (String) -> Void = { name in if !json { FileHandle.standardError.write(Data("timing \(name)…\n".utf8)) } }
    var results: [BenchmarkResult] = []
    if only != Self.patientWorkload {
      results = EngineBenchmark.run(threads: workers, runs: runs, only: only, progress: note)
    }
    if only == nil || only == Self.patientWorkload {
      note(Self.patientWorkload)
      results.append(try PatientBenchmark.run(threads: workers, runs: runs))
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(BenchReport(threads: workers, results: results)), as: UTF8.self))
    } else {
      print("fgf bench — FGF-CNN, \(workers) threads, median of \(runs) runs after warm-up")
      for r in results {
        let verdict = r.medianMilliseconds <= r.targetMilliseconds ? "ok" : "over target"
        let name = r.name.padding(toLength: 18, withPad: " ", startingAt: 0)
        print(name + String(format: "%8.1f ms  (min %.1f, cpu %.1f ms, target ≤ %.0f ms: ", r.medianMilliseconds,
                            r.minimumMilliseconds, r.medianCPUMilliseconds, r.targetMilliseconds) + verdict + ")  " + r.description)
      }
    }
  }
}

private struct BenchReport: Encodable {
  var threads: Int
  var results: [BenchmarkResult]
}
