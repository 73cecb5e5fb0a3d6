// FakeExplorerData: an in-memory provider with figures known by construction, so screen tests can
// assert exact bars and values. Volumes are small: a square "neck" of soft tissue with a round
// tumour whose radius depends on the patient. It records every call (to check the work order).

import Foundation
import Imaging
import Pipeline

final class FakeExplorerData: ExplorerData, @unchecked Sendable {
  let overview: ExploreOverview
  private let lock = NSLock()
  private var log: [String] = []
  /// Patients whose image cannot be loaded.
  let brokenImages: Set<Int>

  static let side = 24, slices = 5

  init(patients: Int = 12, models: Int = 2, brokenImages: Set<Int> = []) {
    let splits: [Split] = [.train, .train, .val, .test]
    let records = (0..<patients).map { i in
      PatientRecord(id: String(format: "HN-%03d", i + 1), label: i % 3 == 0 ? 1 : 0, split: splits[i % 4],
                    image: "", mask: "", extra: [], line: 0)
    }
    overview = ExploreOverview(
      cohortName: "fake", patients: records,
      models: (0..<models).map { ExploreModel(label: $0 == 0 ? "A" : "B", name: "model-\($0 == 0 ? "A" : "B")") },
      features: ["shape.volume", "shape.area", "intensity.mean", "texture.contrast", "position.x"].map {
        ExploreFeature(name: $0, summary: "test feature \($0)")
      },
      baselines: [ExploreChoice(id: "white", label: "white noise"), ExploreChoice(id: "smooth", label: "smooth noise")],
      measures: [ExploreChoice(id: "abs", label: "|cos|"), ExploreChoice(id: "sq", label: "cos²")],
      initiallyEnabled: [0, 2, 3])
    self.brokenImages = brokenImages
  }

  var calls: [String] { lock.withLock { log } }
  private func record(_ call: String) { lock.withLock { log.append(call) } }

  // Known values: every figure is a simple function of its indices.
  static func alignment(patient: Int, feature: Int, key: FigureKey) -> Double? {
    if feature == 4 && patient == 1 { return nil }  // one undefined value
    return 0.05 * Double(feature + 1) + 0.01 * Double(patient % 5) + 0.1 * Double(key.model) + 0.02 * Double(key.measure)
  }
  static func noise(key: FigureKey) -> Double { 0.03 + 0.01 * Double(key.baseline) }
  static func risk(patient: Int, model: Int) -> Double { Double((patient * 7 + model * 3) % 10) / 10 + 0.05 }

  func image(of patient: Int) throws(ExploreProblem) -> PatientImage {
    record("image \(patient)")
    if brokenImages.contains(patient) { throw ExploreProblem("image.nii.gz: byte 352: truncated") }
    let n = Self.side
    let grid = Grid(nx: n, ny: n, nz: Self.slices, spacing: SIMD3(1, 1, 3))
    var volume = Volume(grid: grid, voxels: [Float](repeating: -1000, count: grid.voxelCount))
    var mask = Mask(grid: grid, voxels: [UInt8](repeating: 0, count: grid.voxelCount))
    let radius = 3.0 + Double(patient % 3)
    for z in 0..<Self.slices {
      for y in 0..<n {
        for x in 0..<n {
          if x >= 2 && x < n - 2 && y >= 2 && y < n - 2 { volume[x, y, z] = 40 }
          let dx = Double(x) - 12, dy = Double(y) - 12
          if z >= 1 && z <= 3 && dx * dx + dy * dy <= radius * radius {
            volume[x, y, z] = 120
            mask[x, y, z] = 1
          }
        }
      }
    }
    return PatientImage(patient: patient, volume: volume, mask: mask, tumourSlice: 2,
                        cropBox: CropBox(x0: -20, y0: -20, x1: 43, y1: 43, slices: 1...3))
  }

  func gradient(of patient: Int, model: Int) throws(ExploreProblem) -> GradientOverlay {
    record("gradient \(patient) \(model)")
    let n = Self.side
    var slices: [Int: [Float]] = [:]
    for z in 1...3 {
      slices[z] = (0..<(n * n)).map { i in Float((i % n) - n / 2) / Float(n / 2) * (model == 0 ? 1 : -1) }
    }
    let risk = Self.risk(patient: patient, model: model)
    return GradientOverlay(patient: patient, model: model, risk: risk, logit: Foundation.log(risk / (1 - risk)),
                           slices: slices, scale: 0.001)
  }

  func risks(of patients: [Int], model: Int, cancel: CancelFlag) -> [Result<Double, ExploreProblem>] {
    record("risks \(patients.count) \(model)")
    var out: [Result<Double, ExploreProblem>] = []
    for patient in patients {
      if cancel.isCancelled { break }
      out.append(.success(Self.risk(patient: patient, model: model)))
    }
    return out
  }

  func auc(of patients: [Int], model: Int, cancel: CancelFlag) -> Double? {
    record("auc \(patients.count) \(model)")
    return patients.isEmpty ? nil : 0.8 + 0.05 * Double(model)
  }

  func figures(of patients: [Int], key: FigureKey, cancel: CancelFlag) -> [Result<[PatientFigure], ExploreProblem>] {
    record("figures \(patients.count) \(key.model)")
    var out: [Result<[PatientFigure], ExploreProblem>] = []
    for patient in patients {
      if cancel.isCancelled { break }
      out.append(.success(overview.features.indices.map { k in
        let a = Self.alignment(patient: patient, feature: k, key: key)
        return PatientFigure(alignment: a, noise: a == nil ? nil : Self.noise(key: key), value: Double(k) * 10 + 1,
                             undefinedReason: a == nil ? "zero gradient" : nil)
      }))
    }
    return out
  }

  func cohort(of patients: [Int], key: FigureKey, cancel: CancelFlag) throws(ExploreProblem) -> [CohortFigure]? {
    record("cohort \(patients.count) \(key.model)")
    if cancel.isCancelled { return nil }
    return overview.features.indices.map { k in
      let values = patients.compactMap { Self.alignment(patient: $0, feature: k, key: key) }
      let mean = values.reduce(0, +) / Double(max(1, values.count))
      let noise = Self.noise(key: key)
      return CohortFigure(mean: mean, noise: noise, ciLow: mean - 0.01, ciHigh: mean + 0.01,
                          p: k == 4 ? 0.4 : 0.001 * Double(k + 1), count: values.count,
                          undefined: patients.count - values.count)
    }
  }

  /// A flow path of 2·3 + 1 points whose feature k rises linearly with slope k − 2 (feature 4 undefined at x).
  func flow(of patient: Int, model: Int, cancel: CancelFlag) throws(ExploreProblem) -> FlowPath? {
    record("flow \(patient) \(model)")
    if cancel.isCancelled { return nil }
    let steps = 3
    let values: [[Double?]] = overview.features.indices.map { k in
      (0...(2 * steps)).map { t in k == 4 && t == steps ? nil : Double(k - 2) * Double(t - steps) + Double(k) }
    }
    return FlowPath(logits: (0...(2 * steps)).map { Double($0 - steps) }, values: values, centre: steps, stepSize: 0.5)
  }

  /// Holm's step-down adjustment; significant when adjusted p < 0.05 and ciLow > noise.
  func assess(_ figures: [CohortFigure?]) -> [CohortAssessment?] {
    let indexed = figures.enumerated().compactMap { i, f in f?.p.map { (i, $0) } }.sorted { $0.1 < $1.1 }
    var adjusted = [Double?](repeating: nil, count: figures.count)
    var running = 0.0
    for (rank, (i, p)) in indexed.enumerated() {
      running = max(running, min(1, p * Double(indexed.count - rank)))
      adjusted[i] = running
    }
    return figures.indices.map { i in
      guard let figure = figures[i] else { return nil }
      let significant = (adjusted[i] ?? 1) < 0.05 && (figure.ciLow ?? 0) > (figure.noise ?? 1)
      return CohortAssessment(pAdjusted: adjusted[i], significant: significant)
    }
  }
}

/// Helpers shared by the explorer tests.
enum Fixture {
  static let unicode256 = TerminalProfile(unicode: true, colors: .palette256)

  static func state(_ data: FakeExplorerData = FakeExplorerData(), width: Int = 200, height: Int = 60,
                    profile: TerminalProfile = unicode256, renderMode: RenderMode = .grey256) -> ExplorerStateBox {
    ExplorerStateBox(data: data, state: ExplorerState(overview: data.overview, profile: profile,
                                                      renderMode: renderMode, width: width, height: height))
  }
}

import Explorer

/// A state with its provider, with helpers to run the planned work to completion synchronously.
struct ExplorerStateBox {
  let data: FakeExplorerData
  var state: ExplorerState

  /// Runs planned jobs one by one (as the worker would) until nothing is left or `limit` jobs ran.
  @discardableResult
  mutating func runWork(limit: Int = 10_000) -> [Job] {
    var done: [Job] = []
    while done.count < limit, let job = JobPlanner.next(state) {
      let effect = state.apply(job.run(data, cancel: CancelFlag()))
      if effect.contains(.assess) { state.refreshAssessments(using: data) }
      done.append(job)
    }
    return done
  }

  mutating func press(_ events: InputEvent...) -> Effect {
    var effect: Effect = .none
    for event in events {
      let e = KeyHandler.handle(event, state: &state)
      if e.contains(.assess) { state.refreshAssessments(using: data) }
      effect.formUnion(e)
    }
    return effect
  }

  var screen: CellGrid { Screen.draw(state) }
}
