// ResultStore: what the background worker has computed so far, kept for drawing at once (toggles
// and patient changes redraw from here without waiting). Images and overlays of patients far
// from the selection are dropped to bound memory; risks and figures are small and kept.

import Imaging
import Pipeline

/// Cohort figures are keyed by the figure key and the split filter that chose the patients.
public struct CohortKey: Hashable, Sendable {
  public var figures: FigureKey
  public var split: Split?
  public init(figures: FigureKey, split: Split?) { self.figures = figures; self.split = split }
}

/// An AUC over the patients of one split (nil: all) for one model.
public struct AUCKey: Hashable, Sendable {
  public var model: Int
  public var split: Split?
  public init(model: Int, split: Split?) { self.model = model; self.split = split }
}

/// A patient and a model.
public struct PatientModel: Hashable, Sendable {
  public var patient: Int
  public var model: Int
  public init(patient: Int, model: Int) { self.patient = patient; self.model = model }
}

public struct ResultStore: Sendable {
  /// Patient images and gradient overlays kept at most (the current patient and its neighbours).
  public static let imageLimit = 8
  public static let overlayLimit = 16
  /// Flow paths kept at most (they hold a few numbers per feature and point: cheap, but bounded).
  public static let flowLimit = 64

  public var images: [Int: Result<PatientImage, ExploreProblem>] = [:]
  public var overlays: [PatientModel: Result<GradientOverlay, ExploreProblem>] = [:]
  /// risks[model][patient]; nil until computed.
  public var risks: [[Result<Double, ExploreProblem>?]]
  /// AUCs computed so far (a stored nil means "computed: undefined, e.g. one class").
  public var aucs: [AUCKey: Double?] = [:]
  /// figures[key][patient]: every feature's figures.
  public var figures: [FigureKey: [Int: Result<[PatientFigure], ExploreProblem>]] = [:]
  public var cohorts: [CohortKey: Result<[CohortFigure], ExploreProblem>] = [:]
  /// Gradient-flow paths (the sparklines), per patient and model.
  public var flows: [PatientModel: Result<FlowPath, ExploreProblem>] = [:]
  /// Holm-adjusted verdicts for the enabled features, indexed by feature (nil: not shown or unknown).
  public var assessments: [CohortKey: [CohortAssessment?]] = [:]

  public init(models: Int, patients: Int) {
    risks = [[Result<Double, ExploreProblem>?]](
      repeating: [Result<Double, ExploreProblem>?](repeating: nil, count: patients), count: models)
  }

  public func risk(patient: Int, model: Int) -> Result<Double, ExploreProblem>? {
    guard risks.indices.contains(model), risks[model].indices.contains(patient) else { return nil }
    if let known = risks[model][patient] { return known }
    // A gradient overlay carries the risk too.
    switch overlays[PatientModel(patient: patient, model: model)] {
    case .success(let overlay)?: return .success(overlay.risk)
    case .failure(let problem)?: return .failure(problem)
    case nil: return nil
    }
  }

  public func figures(patient: Int, key: FigureKey) -> Result<[PatientFigure], ExploreProblem>? {
    figures[key]?[patient]
  }

  /// How many of `patients` have figures under `key`.
  public func figureCount(of patients: [Int], key: FigureKey) -> Int {
    guard let known = figures[key] else { return 0 }
    return patients.reduce(0) { $0 + (known[$1] == nil ? 0 : 1) }
  }

  /// How many patients have a risk from `model`.
  public func riskCount(model: Int) -> Int {
    guard risks.indices.contains(model) else { return 0 }
    return risks[model].reduce(0) { $0 + ($1 == nil ? 0 : 1) }
  }

  /// Drops images and overlays of the patients farthest from `keep` (list positions) until
  /// the limits hold. `distance` gives a patient's distance from the selection.
  public mutating func evict(distance: (Int) -> Int) {
    if images.count > Self.imageLimit {
      let ranked = images.keys.sorted { distance($0) > distance($1) }
      for patient in ranked.prefix(images.count - Self.imageLimit) { images[patient] = nil }
    }
    if overlays.count > Self.overlayLimit {
      let ranked = overlays.keys.sorted { distance($0.patient) > distance($1.patient) }
      for key in ranked.prefix(overlays.count - Self.overlayLimit) { overlays[key] = nil }
    }
    if flows.count > Self.flowLimit {
      let ranked = flows.keys.sorted { distance($0.patient) > distance($1.patient) }
      for key in ranked.prefix(flows.count - Self.flowLimit) { flows[key] = nil }
    }
  }
}
