// `fgf analyze`: feature alignments of one or more models over a cohort (or given tensors), with
// the importance test per feature (Pipeline.CohortAnalysis), as a table, JSON or CSV, and
// optionally every per-patient tensor in a safetensors dump.

import ArgumentParser
import Common
import Engine
import Foundation
import Imaging
import Pipeline

struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Which interpretable features each model's gradient follows, against a noise baseline.",
    discussion: """
      COHORT is a cohort directory (cohort.csv beside NIfTI volumes) or "demo" (the
      default: the built-in synthetic cohort). With --tensors IN, the samples of a
      safetensors file are analysed instead: x [N,3,64,64] with mask [N,3,64,64]
      (features need it), optionally label [N], split [N] (0 train, 1 val, 2 test;
      without it every sample is used) and slice_thickness [N]. Without --model, the
      demo models A and B of Assets/ are analysed.

      For each model and feature: the mean alignment a of ∇f with the feature's
      gradient, the mean alignment with the noise baseline, their ratio, the mean
      paired difference d with its 95% bootstrap CI, the one-sided Wilcoxon p for d >
      0, its Holm adjustment over the features shown, the verdict (significant: Holm p
      < 0.05 and CI above 0) and the patients where the alignment is undefined; and
      the model's ROC AUC. JSON and CSV add every patient's values. Threads:
      $FGF_THREADS (default: all cores); the figures do not depend on it.
      """)

  @Argument(help: ArgumentHelp("Cohort directory, or \"demo\" (default).", valueName: "COHORT"))
  var cohort: String?

  @Option(name: .customLong("tensors"), help: ArgumentHelp("Analyse the samples of this safetensors file instead.", valueName: "IN"))
  var tensorsPath: String?

  @Option(name: .customLong("model"), help: ArgumentHelp("Model file; repeat for several (labelled A, B, …).", valueName: "M"))
  var modelPaths: [String] = []

  @Option(help: ArgumentHelp("Features or families, comma-separated (default: all).", valueName: "a,b,…"))
  var features: String?

  @Option(help: "Alignment measure: abs (|cos|), sq (cos²) or flow (|cos| along the gradient flow).")
  var measure = "abs"

  @Option(help: "Noise baseline: white, smooth or matched.")
  var baseline = "white"

  @Option(help: "Patients: test, val, train or all.")
  var split = "test"

  @Option(help: "Output: table, json or csv.")
  var format = "table"

  @Option(name: .customLong("out"), help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "FILE"))
  var outPath: String?

  @Option(name: .customLong("dump"), help: ArgumentHelp("Also write every per-patient tensor here (safetensors).", valueName: "OUT"))
  var dumpPath: String?

  @Option(help: ArgumentHelp("Flow: steps each way (T).", valueName: "T"))
  var flowSteps = 8

  @Option(help: ArgumentHelp("Flow: step length in input units (η).", valueName: "η"))
  var flowStepSize = 0.05

  @Flag(help: "Leave out patients whose crop cannot be made (listed in the report) instead of stopping.")
  var skipInvalid = false

  enum OutputFormat: String, CaseIterable { case table, json, csv }

  func validate() throws {
    _ = try choice(AlignmentMeasure.self, measure, "--measure")
    _ = try choice(NoiseBaseline.self, baseline, "--baseline")
    _ = try choice(SplitSelection.self, split, "--split")
    _ = try choice(OutputFormat.self, format, "--format")
    if tensorsPath != nil && cohort != nil { throw ValidationError("give a COHORT or --tensors, not both") }
    guard flowSteps >= 0 else { throw ValidationError("--flow-steps must be ≥ 0") }
    guard flowStepSize > 0, flowStepSize.isFinite else { throw ValidationError("--flow-step-size must be positive") }
  }

  func run() throws {
    let measure = try choice(AlignmentMeasure.self, self.measure, "--measure")
    let baseline = try choice(NoiseBaseline.self, self.baseline, "--baseline")
    let split = try choice(SplitSelection.self, self.split, "--split")
    let format = try choice(OutputFormat.self, self.format, "--format")
    let threads = Parallelism.fromEnvironment
    let progress = ProgressLine()
    let chosen: [FeatureDefinition]
    do { chosen = try FeatureSelection.parse(features) } catch { throw ValidationError("--features: \(error)") }
    guard !chosen.isEmpty else { throw ValidationError("--features names no feature") }
    let models = try loadModels()
    let inputs: AnalysisInputs
    if let tensorsPath {
      let tensors = try TensorInputs.read(tensorsPath)
      for model in models {
        if let engineModel = model.oracle as? Model { try tensors.check(against: engineModel, modelPath: model.source) }
      }
      inputs = AnalysisInputs.tensors(tensors, selection: split)
      if features != nil, let problem = inputs.featureProblem { throw ValidationError("--features: \(problem)") }
    } else {
      let source = try CohortOpening.open(cohort, skipInvalid: skipInvalid, warnings: { progress.clear(); warn($0) })
      let crops = CropStore(cohort: source, warnings: { message in progress.clear(); warn(message) })
      guard let loaded = try AnalysisInputs.load(crops: crops, selection: split, skipInvalid: skipInvalid,
                                                 progress: { done, total in progress.update("crops", done: done, total: total) })
      else { return }
      inputs = loaded
      for excluded in inputs.excluded { progress.clear(); warn("left out \(excluded.id): \(excluded.reason)") }
    }
    guard !inputs.samples.isEmpty else {
      throw ValidationError("no patients in split \(split.rawValue) of \(inputs.source) (choose another with --split)")
    }
    let options = AnalysisOptions(
      features: chosen, alignment: AlignmentSettings(measure: measure, baseline: baseline, flowSteps: flowSteps, flowStepSize: flowStepSize),
      threads: threads)
    let result = CohortAnalysis.run(inputs, models: models, options: options, progress: { done, total in
      progress.update("analysis", done: done, total: total)
    })
    progress.clear()
    let report: String
    switch format {
    case .table: report = AnalysisTable.render(result)
    case .json: report = AnalysisJSON.render(result)
    case .csv: report = AnalysisCSV.render(result)
    }
    if let dumpPath {
      progress.update("dump", done: 0, total: 1, force: true)
      try AnalysisDump.make(result, features: chosen, models: models, threads: threads).write(to: dumpPath)
      progress.clear()
    }
    if let outPath {
      try FileIO.writeAtomically(Array(report.utf8), to: outPath)
    } else {
      print(report, terminator: "")
    }
  }

  /// The --model files (labelled A, B, …), or the demo models.
  func loadModels() throws -> [AnalysisModel] {
    guard !modelPaths.isEmpty else {
      do { return try DemoModels.load() } catch {
        throw ValidationError("no --model given, and the demo models cannot be read: \(error)")
      }
    }
    guard modelPaths.count <= 26 else { throw ValidationError("at most 26 models (A…Z)") }
    return try modelPaths.enumerated().map { index, path in
      let label = String(UnicodeScalar(UInt8(65 + index)))
      return AnalysisModel(label: label, path: path, model: try Model.load(path))
    }
  }
}

/// The case of `type` named `text`, or a usage error naming the option and the choices.
private func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ text: String, _ option: String) throws -> T
  where T.RawValue == String {
  guard let value = T(rawValue: text) else {
    throw ValidationError("\(option) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text))")
  }
  return value
}

/// A warning on stderr.
private func warn(_ message: String) {
  FileHandle.standardError.write(Data("fgf: warning: \(message)\n".utf8))
}
