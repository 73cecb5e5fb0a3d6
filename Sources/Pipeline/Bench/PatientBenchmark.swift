// PatientBenchmark: the issue-4 case of `fgf bench`, the explorer's update when the current
// patient changes: one real demo crop, both models' logits and input gradients, every catalogue
// feature with its gradient, and each feature's |cos| and white-noise alignment for both models.
// The models are the shipped demo models when Assets/ has them, else two seeded FGF-CNNs (the
// work is the same). Timed as the median of several runs after warm-up; target < 20 ms.

import Common
import Dispatch
import Engine
import Glibc
import Imaging

public enum PatientBenchmark {
  public static let targetMilliseconds = 20.0

  /// Times the workload; `threads` for the models' passes and the feature work.
  public static func run(threads: Int, runs: Int = 10, warmUp: Int = 3) throws(FileError) -> BenchmarkResult {
    let cohort = SyntheticCohort.demo()
    guard let patient = cohort.patients.first(where: { $0.split == .test }) ?? cohort.patients.first else {
      throw FileError(path: cohort.name, problem: "the demo cohort has no patients")
    }
    let volumes = try cohort.volumes(for: patient)
    let crop: ModelInput
    do { crop = try Preprocessor.modelInput(image: volumes.image, mask: volumes.mask) } catch {
      throw FileError(path: cohort.name, place: "patient \(patient.id)", problem: "\(error)")
    }
    let input = FeatureInput(x: crop.x, mask: crop.mask, sliceThickness: crop.sliceThickness)
    let (models, which) = benchmarkModels()
    let analyzer = AlignmentAnalyzer(features: FeatureCatalog.all, settings: AlignmentSettings(measure: .abs, baseline: .white))
    func work() -> [PatientAlignment] {
      var gradients: [[Float]] = [], logits: [Float] = []
      for model in models {
        let out = model.logitsAndInputGradients(input.x, count: 1, threads: threads)
        gradients.append(out.gradients)
        logits += out.logits
      }
      return analyzer.analyze(input, gradients: gradients, logits: logits)
    }
    for _ in 0..<warmUp { _ = work() }
    var wall: [Double] = [], cpu: [Double] = []
    for _ in 0..<max(1, runs) {
      let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuMilliseconds()
      let result = work()
      wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
      cpu.append(cpuMilliseconds() - cpuStart)
      precondition(result.count == models.count)
    }
    return BenchmarkResult(
      name: "patient-analysis",
      description: "one demo patient (\(patient.id)): both models' logits and ∇ₓf, all \(FeatureCatalog.all.count) features, "
        + "|cos| and white noise (J = \(analyzer.noise.draws)); \(which)",
      medianMilliseconds: median(wall), minimumMilliseconds: wall.min() ?? 0, targetMilliseconds: targetMilliseconds,
      medianCPUMilliseconds: median(cpu), runs: wall.count)
  }

  /// The demo models, or two seeded FGF-CNNs when they are not there.
  static func benchmarkModels() -> ([Model], String) {
    if let a = try? Model.load(AssetLocator.path(DemoModels.fileA)), let b = try? Model.load(AssetLocator.path(DemoModels.fileB)) {
      return ([a, b], "demo models A and B")
    }
    // FGF-CNN's layer list is valid by construction.
    let fresh = (1...2).compactMap { try? Model(architecture: .fgfCNN(), seed: UInt64($0)) }
    return (fresh, "two seeded FGF-CNNs (Assets/ has no demo models)")
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  static func cpuMilliseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e3 + Double(spec.tv_nsec) / 1e6
  }
}
