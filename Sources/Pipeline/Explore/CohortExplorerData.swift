// CohortExplorerData: the explorer's data provider for a real cohort and real models. Crops come
// from the CropStore (memory and disk cache), model outputs from Engine's Model, per-patient
// alignments from Engine's AlignmentAnalyzer and cohort figures from CohortStatistics. Everything
// computed is kept, so a cancelled chunk resumes where it stopped and switching back to a
// baseline or measure is instant.

import Common
import Engine
import Foundation
import Imaging

public final class CohortExplorerData: ExplorerData, @unchecked Sendable {
  public let overview: ExploreOverview
  let cohort: any CohortSource
  let crops: CropStore
  let models: [Model]
  let baselines: [NoiseBaseline]
  let measures: [AlignmentMeasure]
  let features: [FeatureDefinition]
  /// Patients per model batch (the model runs both cores over a batch).
  static let batchSize = 16

  private let lock = NSLock()
  /// logits[model][patient]
  private var logits: [[Float?]]
  /// Per-patient alignments under each key.
  private var alignments: [FigureKey: [Int: PatientAlignment]] = [:]
  /// Patients whose crop cannot be made (file problems, empty masks).
  private var failures: [Int: ExploreProblem] = [:]
  /// Grids of recently loaded images (to lay gradients onto slices without reloading).
  private var grids: [Int: Grid] = [:]

  /// A provider for `cohort` and `models` (labelled A, B, … in order). `notices` are shown once.
  public init(cohort: any CohortSource, models: [(name: String, model: Model)], crops: CropStore? = nil,
              features: [FeatureDefinition] = FeatureCatalog.all, initiallyEnabled: [String]? = nil,
              notices: [String] = []) {
    self.cohort = cohort
    self.crops = crops ?? CropStore(cohort: cohort)
    self.models = models.map(\.model)
    self.features = features
    baselines = NoiseBaseline.allCases
    measures = AlignmentMeasure.allCases
    logits = [[Float?]](repeating: [Float?](repeating: nil, count: cohort.patients.count), count: models.count)
    let labels = ["A", "B", "C", "D"]
    let shown = initiallyEnabled ?? Self.defaultFeatures(models: models.map(\.model))
    overview = ExploreOverview(
      cohortName: cohort.name, patients: cohort.patients,
      models: models.enumerated().map { m, entry in
        ExploreModel(label: m < labels.count ? labels[m] : String(m + 1), name: entry.name,
                     detail: Self.trainingSummary(entry.model))
      },
      features: features.map { ExploreFeature(name: $0.name, summary: $0.summary) },
      baselines: baselines.map { ExploreChoice(id: $0.rawValue, label: "\($0.rawValue) noise") },
      measures: measures.map { ExploreChoice(id: $0.rawValue, label: Self.label(of: $0)) },
      initiallyEnabled: shown.compactMap { name in features.firstIndex { $0.name == name } },
      notices: notices)
  }

  static func label(of measure: AlignmentMeasure) -> String {
    switch measure {
    case .abs: "|cos|"
    case .sq: "cos²"
    case .flow: "flow |cos|"
    }
  }

  /// The features enabled at start: those model B was trained to follow (its `fgf.training`
  /// "features"), else a mix of size, shape, texture and intensity; always position.x as the
  /// negative control.
  static func defaultFeatures(models: [Model]) -> [String] {
    for model in models.reversed() {
      if let text = model.metadata["fgf.training"], let json = try? JSONValue.parse(text),
         let names = json["features"]?.arrayValue?.compactMap(\.stringValue), !names.isEmpty {
        return names + (names.contains("position.x") ? [] : ["position.x"])
      }
    }
    return ["shape.volume", "shape.circularity", "texture.contrast", "intensity.mean", "position.x"]
  }

  /// "λ 0.5 on shape.volume, texture.contrast" from a model's `fgf.training`, or "".
  static func trainingSummary(_ model: Model) -> String {
    guard let text = model.metadata["fgf.training"], let json = try? JSONValue.parse(text) else { return "" }
    var summary = json["lambda"]?.doubleValue.map { "λ \($0 == $0.rounded() ? String(Int($0)) : String($0))" } ?? ""
    if let names = json["features"]?.arrayValue?.compactMap(\.stringValue), !names.isEmpty {
      summary += " on " + names.joined(separator: ", ")
    }
    return summary
  }

  // MARK: Images and gradients

  public func image(of patient: Int) throws(ExploreProblem) -> PatientImage {
    let record = try self.record(patient)
    let volumes: (image: Volume, mask: Mask)
    do { volumes = try cohort.volumes(for: record) } catch { throw ExploreProblem(error.description) }
    let grid = volumes.image.grid
    lock.withLock {
      grids[patient] = grid
      if grids.count > 32, let far = grids.keys.max(by: { abs($0 - patient) < abs($1 - patient) }) { grids[far] = nil }
    }
    guard let centre = try? Preprocessor.centre(of: volumes.mask),
          let region = Preprocessor.cropRegion(centre: centre, on: grid) else {
      // An empty mask: the CT can still be looked at, without a tumour slice or crop.
      return PatientImage(patient: patient, volume: volumes.image, mask: volumes.mask,
                          tumourSlice: grid.nz / 2, cropBox: nil)
    }
    let box = CropBox(x0: Int(region.x0.rounded()), y0: Int(region.y0.rounded()),
                      x1: Int(region.x1.rounded()), y1: Int(region.y1.rounded()),
                      slices: max(0, region.z0)...max(0, min(grid.nz - 1, region.z1)))
    return PatientImage(patient: patient, volume: volumes.image, mask: volumes.mask,
                        tumourSlice: centre.z, cropBox: box)
  }

  public func gradient(of patient: Int, model: Int) throws(ExploreProblem) -> GradientOverlay {
    let record = try self.record(patient)
    guard models.indices.contains(model) else { throw ExploreProblem("no model \(model + 1)") }
    let input = try crop(patient, record)
    let output = models[model].logitsAndInputGradients(input.x, count: 1)
    let logit = output.logits[0]
    lock.withLock { logits[model][patient] = logit }
    var grid = lock.withLock { grids[patient] }
    if grid == nil {
      do { grid = try cohort.volumes(for: record).image.grid } catch { throw ExploreProblem(error.description) }
    }
    guard let grid else { throw ExploreProblem("\(record.id): no geometry") }
    let overlay = GradientLayout.slices(gradient: output.gradients, centre: input.centre, grid: grid)
    return GradientOverlay(patient: patient, model: model, risk: Self.sigmoid(logit), logit: Double(logit),
                           slices: overlay.slices, scale: overlay.scale)
  }

  // MARK: Risks and AUC

  public func risks(of patients: [Int], model: Int, cancel: CancelFlag) -> [Result<Double, ExploreProblem>] {
    guard models.indices.contains(model) else { return patients.map { _ in .failure(ExploreProblem("no such model")) } }
    let missing = lock.withLock { patients.filter { logits[model][$0] == nil && failures[$0] == nil } }
    var start = 0
    while start < missing.count && !cancel.isCancelled {
      let batch = Array(missing[start..<min(missing.count, start + Self.batchSize)])
      let inputs = self.inputs(batch, cancel: cancel)
      let ready = inputs.compactMap { entry -> (Int, ModelInput)? in entry.1.map { (entry.0, $0) } }
      if !ready.isEmpty {
        let out = models[model].logits(ready.flatMap { $0.1.x }, count: ready.count)
        lock.withLock { for (i, entry) in ready.enumerated() { logits[model][entry.0] = out[i] } }
      }
      start += batch.count
    }
    var results: [Result<Double, ExploreProblem>] = []
    for patient in patients {
      let (logit, failure) = lock.withLock { (logits[model][patient], failures[patient]) }
      if let logit { results.append(.success(Self.sigmoid(logit))) }
      else if let failure { results.append(.failure(failure)) }
      else { break }  // cancelled: a prefix
    }
    return results
  }

  public func auc(of patients: [Int], model: Int, cancel: CancelFlag) -> Double? {
    let risks = self.risks(of: patients, model: model, cancel: cancel)
    var scores: [Double] = [], labels: [Int] = []
    for (patient, risk) in zip(patients, risks) {
      guard case .success(let value) = risk else { continue }
      scores.append(value)
      labels.append(cohort.patients[patient].label)
    }
    return rocAUC(scores: scores, labels: labels)
  }

  // MARK: Figures

  public func figures(of patients: [Int], key: FigureKey, cancel: CancelFlag) -> [Result<[PatientFigure], ExploreProblem>] {
    computeAlignments(patients, key: key, cancel: cancel)
    var results: [Result<[PatientFigure], ExploreProblem>] = []
    for patient in patients {
      let (known, failure) = lock.withLock { (alignments[key]?[patient], failures[patient]) }
      if let known {
        results.append(.success(known.features.map {
          PatientFigure(alignment: $0.alignment, noise: $0.noiseAlignment, value: $0.value, undefinedReason: $0.undefinedReason)
        }))
      } else if let failure {
        results.append(.failure(failure))
      } else {
        break  // cancelled: a prefix
      }
    }
    return results
  }

  public func cohort(of patients: [Int], key: FigureKey, cancel: CancelFlag) throws(ExploreProblem) -> [CohortFigure]? {
    computeAlignments(patients, key: key, cancel: cancel)
    if cancel.isCancelled { return nil }
    let (known, failed) = lock.withLock { () -> ([PatientAlignment], Int) in
      let table = alignments[key] ?? [:]
      return (patients.compactMap { table[$0] }, patients.filter { failures[$0] != nil }.count)
    }
    guard known.count + failed == patients.count else { return nil }
    let summaries = CohortStatistics.summarize(known, features: features.map(\.name))
    return summaries.map { summary in
      CohortFigure(mean: summary.meanAlignment, noise: summary.meanNoise,
                   ciLow: summary.ciLower.flatMap { low in summary.meanNoise.map { $0 + low } },
                   ciHigh: summary.ciUpper.flatMap { high in summary.meanNoise.map { $0 + high } },
                   p: summary.pValue, count: summary.pairs, undefined: summary.undefinedAlignments + failed)
    }
  }

  public func assess(_ figures: [CohortFigure?]) -> [CohortAssessment?] {
    let adjusted = HolmAdjustment.adjust(figures.map { $0?.p })
    let alpha = SummarySettings().significanceLevel
    return figures.indices.map { k in
      guard let figure = figures[k] else { return nil }
      let clearOfNoise = (figure.ciLow ?? -.infinity) > (figure.noise ?? .infinity)
      return CohortAssessment(pAdjusted: adjusted[k], significant: (adjusted[k] ?? 1) < alpha && clearOfNoise)
    }
  }

  // MARK: Work

  /// Computes and stores the alignments of `patients` under `key` that are not known yet, in
  /// batches, stopping between batches when cancelled. Every model is analysed together with
  /// `key.model` (the features are evaluated once per patient and shared), so the other models'
  /// figures for the same baseline and measure are then ready too.
  private func computeAlignments(_ patients: [Int], key: FigureKey, cancel: CancelFlag) {
    guard models.indices.contains(key.model), baselines.indices.contains(key.baseline),
          measures.indices.contains(key.measure) else { return }
    let keys = models.indices.map { FigureKey(model: $0, baseline: key.baseline, measure: key.measure) }
    let missing = lock.withLock { patients.filter { alignments[key]?[$0] == nil && failures[$0] == nil } }
    guard !missing.isEmpty else { return }
    let analyzer = AlignmentAnalyzer(features: features, settings: AlignmentSettings(
      measure: measures[key.measure], baseline: baselines[key.baseline]))
    // Flow walks the model 2T more times per patient: smaller batches keep cancelling prompt.
    let batchSize = measures[key.measure] == .flow ? 4 : Self.batchSize
    var start = 0
    while start < missing.count && !cancel.isCancelled {
      let batch = Array(missing[start..<min(missing.count, start + batchSize)])
      let ready = inputs(batch, cancel: cancel).compactMap { entry -> (Int, ModelInput)? in entry.1.map { (entry.0, $0) } }
      if !ready.isEmpty {
        let results = analyzer.analyze(ready.map { FeatureInput(x: $0.1.x, mask: $0.1.mask, sliceThickness: $0.1.sliceThickness) },
                                       models: models, batchSize: batchSize)
        lock.withLock {
          for (m, modelKey) in keys.enumerated() {
            var table = alignments[modelKey] ?? [:]
            for (i, entry) in ready.enumerated() where i < results.count && table[entry.0] == nil {
              table[entry.0] = results[i][m]
              if let logit = results[i][m].logit { logits[m][entry.0] = logit }
            }
            alignments[modelKey] = table
          }
        }
      }
      start += batch.count
    }
  }

  /// Crops of `patients` (computed on all cores); failures are remembered and come back as nil.
  private func inputs(_ patients: [Int], cancel: CancelFlag) -> [(Int, ModelInput?)] {
    let records = patients.map { cohort.patients[$0] }
    guard let results = crops.results(for: records, isCancelled: { cancel.isCancelled }) else {
      return []
    }
    return zip(patients, results).map { patient, result in
      switch result {
      case .success(let input): return (patient, input)
      case .failure(let error):
        lock.withLock { failures[patient] = ExploreProblem(error.description) }
        return (patient, nil)
      }
    }
  }

  private func crop(_ patient: Int, _ record: PatientRecord) throws(ExploreProblem) -> ModelInput {
    do { return try crops.input(for: record) } catch {
      let problem = ExploreProblem(error.description)
      lock.withLock { failures[patient] = problem }
      throw problem
    }
  }

  private func record(_ patient: Int) throws(ExploreProblem) -> PatientRecord {
    guard cohort.patients.indices.contains(patient) else { throw ExploreProblem("no patient \(patient + 1)") }
    return cohort.patients[patient]
  }

  static func sigmoid(_ logit: Float) -> Double { 1 / (1 + exp(-Double(logit))) }
}
