// The engine's speed benchmark (`fgf bench`): FGF-CNN on seeded random data, each workload timed
// as the median of several runs after warm-up:
//   (a) analysis, N = 256: logits, input gradients, |cos| with one fixed direction per sample;
//   (b) a regularized training step, batch 32: BCE_w + λ(1 − cos²) with exact second-order
//       gradients, then Adam;
//   (c) a plain training step, batch 32: BCE_w, then Adam.

import Common
import Foundation

public struct BenchmarkResult: Sendable, Codable {
  public var name: String
  public var description: String
  public var medianMilliseconds: Double
  public var minimumMilliseconds: Double
  public var targetMilliseconds: Double
  /// Median process CPU time per run (all threads), which shows contention: on an idle machine
  /// it is about threads × wall time.
  public var medianCPUMilliseconds: Double
  public var runs: Int

  public init(name: String, description: String, medianMilliseconds: Double, minimumMilliseconds: Double,
              targetMilliseconds: Double, medianCPUMilliseconds: Double, runs: Int) {
    self.name = name; self.description = description; self.medianMilliseconds = medianMilliseconds
    self.minimumMilliseconds = minimumMilliseconds; self.targetMilliseconds = targetMilliseconds
    self.medianCPUMilliseconds = medianCPUMilliseconds; self.runs = runs
  }
}

public enum EngineBenchmark {
  /// Runs the three workloads with `threads` workers; `runs` timed runs each after `warmUp`.
  public static func run(threads: Int = 2, runs: Int = 10, warmUp: Int = 2, only: String? = nil,
                         progress: ((String) -> Void)? = nil) -> [BenchmarkResult] {
    // FGF-CNN's architecture is valid by construction.
    guard let model = try? Model(architecture: .fgfCNN(), seed: 1) else { return [] }
    var random = SeededRandom(seed: 2024)
    let n = model.inputCount
    func batch(_ count: Int) -> (x: [Float], labels: [Int], directions: [DirectionSet]) {
      let x = (0..<(count * n)).map { _ in Float(random.uniform(-1, 1)) }
      let labels = (0..<count).map { $0 % 3 == 0 ? 1 : 0 }
      let directions = (0..<count).map { _ in [(0..<n).map { _ in Float(random.normal()) }] }
      return (x, labels, directions)
    }
    let analysis = batch(256), step = batch(32)
    let positiveWeight = BinaryCrossEntropy.positiveWeight(labels: step.labels)

    func time(_ name: String, _ description: String, target: Double, _ work: () -> Void) -> BenchmarkResult? {
      if let only, only != name { return nil }
      progress?(name)
      for _ in 0..<warmUp { work() }
      var samples: [Double] = [], cpu: [Double] = []
      for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUMilliseconds()
        work()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        cpu.append(processCPUMilliseconds() - cpuStart)
      }
      return BenchmarkResult(name: name, description: description, medianMilliseconds: median(samples),
                             minimumMilliseconds: samples.min() ?? 0, targetMilliseconds: target,
                             medianCPUMilliseconds: median(cpu), runs: runs)
    }

    var results: [BenchmarkResult?] = []
    results.append(time("analysis", "N=256: logits, input gradients, |cos| with one direction each", target: 175) {
      let out = model.logitsAndInputGradients(analysis.x, count: 256, threads: threads)
      var cosines = [Double](repeating: 0, count: 256)
      cosines.withUnsafeMutableBufferPointer { c in
        let c = c
        out.gradients.withUnsafeBufferPointer { g in
          Parallelism.forEach(count: 256, threads: threads) { i, _ in
            analysis.directions[i][0].withUnsafeBufferPointer { d in
              c[i] = AlignmentPenalty.absoluteCosine(UnsafeBufferPointer(rebasing: g[(i * n)..<((i + 1) * n)]), d) ?? .nan
            }
          }
        }
      }
    })
    // Diagnostic only (not one of the three targets): the forward pass alone, 22.4 MFLOP a sample.
    if only == "forward" {
      results.append(time("forward", "N=256: logits only (diagnostic)", target: .infinity) {
        _ = model.logits(analysis.x, count: 256, threads: threads)
      })
    }
    let regularizedModel = model.copy()
    var regularizedAdam = Adam(parameterCount: model.layout.count)
    results.append(time("regularized-step", "batch 32: BCE_w + λ(1−cos²), exact second order, Adam", target: 50) {
      let g = regularizedModel.lossAndGradients(x: step.x, labels: step.labels, count: 32, positiveWeight: positiveWeight,
                                                lambda: 1, directions: step.directions, threads: threads)
      regularizedAdam.update(&regularizedModel.parameters, gradients: g.gradients)
    })
    let plainModel = model.copy()
    var plainAdam = Adam(parameterCount: model.layout.count)
    results.append(time("plain-step", "batch 32: BCE_w, Adam", target: 20) {
      let g = plainModel.lossAndGradients(x: step.x, labels: step.labels, count: 32, positiveWeight: positiveWeight,
                                          threads: threads)
      plainAdam.update(&plainModel.parameters, gradients: g.gradients)
    })
    return results.compactMap { $0 }
  }

  /// Names of the workloads, in order.
  public static let workloads = ["analysis", "regularized-step", "plain-step", "forward"]

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }

  static func processCPUMilliseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e3 + Double(spec.tv_nsec) / 1e6
  }
}
