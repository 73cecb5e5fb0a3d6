// Merging background results into the state: store them, keep the list order (when sorted by
// risk) and memory bounds, and say which parts of the screen changed.

import Pipeline

extension ExplorerState {
  /// Stores `result`; returns what to redraw (and `.assess` when cohort figures arrived).
  public mutating func apply(_ result: JobResult) -> Effect {
    let current = currentPatient
    switch result {
    case .image(let patient, let outcome):
      results.images[patient] = outcome
      evictFarResults()
      return patient == current ? [.slices, .status] : .none
    case .gradient(let key, let outcome):
      results.overlays[key] = outcome
      evictFarResults()
      if list.sortsByRisk { reorderKeepingSelection() }
      return key.patient == current ? [.list, .slices, .charts, .status] : [.list, .status]
    case .risks(let model, let pairs):
      storeRisks(pairs, model: model)
      return [.list, .status, .charts]
    case .auc(let key, let value):
      results.aucs[key] = .some(value)
      return .charts
    case .figures(let key, let pairs, let risks):
      var known = results.figures[key] ?? [:]
      for (patient, figures) in pairs { known[patient] = figures }
      results.figures[key] = known
      storeRisks(risks, model: key.model)
      let touchesCurrent = current.map { patient in pairs.contains { $0.0 == patient } } ?? false
      return touchesCurrent ? [.list, .charts, .status] : [.list, .status]
    case .cohort(let key, let outcome):
      results.cohorts[key] = outcome
      return [.charts, .status, .assess]
    case .flow(let key, let outcome):
      results.flows[key] = outcome
      evictFarResults()
      return key.patient == current && charts.showFlow ? [.charts, .status] : .none
    case .cancelled:
      return .status
    }
  }

  private mutating func storeRisks(_ pairs: [(Int, Result<Double, ExploreProblem>)], model: Int) {
    guard results.risks.indices.contains(model), !pairs.isEmpty else { return }
    for (patient, risk) in pairs where results.risks[model].indices.contains(patient) {
      results.risks[model][patient] = risk
    }
    if list.sortsByRisk { reorderKeepingSelection() }
  }

  private mutating func reorderKeepingSelection() {
    list.reorder(risks: results.risks)
    keepSelectionVisible()
  }

  /// Drops images and overlays of patients far from the selection in list order.
  private mutating func evictFarResults() {
    var position = [Int: Int]()
    for (index, patient) in list.order.enumerated() { position[patient] = index }
    let selection = list.selection
    results.evict { patient in position[patient].map { abs($0 - selection) } ?? Int.max / 2 }
  }
}
