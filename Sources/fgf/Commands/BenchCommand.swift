// `fgf bench`: times the engine's three workloads (Engine.EngineBenchmark) and prints a table or
// JSON. Meaningful in a release build only.

import ArgumentParser
import Engine
import Foundation

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the engine: analysis N=256, regularized and plain training steps (batch 32).")

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  @Option(help: "Timed runs per workload (the median is reported).")
  var runs = 10

  @Option(help: "Worker threads (default: $FGF_THREADS, else 2).")
  var threads: Int?

  @Option(help: "Time only this workload: analysis, regularized-step or plain-step.")
  var only: String?

  func validate() throws {
    if let only, !EngineBenchmark.workloads.contains(only) {
      throw ValidationError("--only must be one of \(EngineBenchmark.workloads.joined(separator: ", "))")
    }
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() throws {
    let workers = threads ?? (ProcessInfo.processInfo.environment["FGF_THREADS"] != nil ? Parallelism.fromEnvironment : 2)
    let results = EngineBenchmark.run(threads: workers, runs: runs, only: only) { name in
      if !json { FileHandle.standardError.write(Data("timing \(name)…\n".utf8)) }
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let payload = BenchReport(threads: workers, results: results)
      print(String(decoding: try encoder.encode(payload), as: UTF8.self))
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
