// JobPlanner: what the worker should do next, decided from the state alone (pure, so tests can
// check the order). The current patient comes first (image, each model's gradient, figures, its
// flow paths while the sparklines are shown), then the neighbours' images (instant patient
// changes), the cohort's per-patient figures (with their risks, for the list), the remaining
// risks, the AUCs and finally the cohort statistics.

import Imaging
import Pipeline

public enum JobPlanner {
  /// Patients per chunk of risk work and of figure work.
  public static let riskChunk = 32
  public static let figureChunk = 8

  /// The most urgent missing piece, or nil when everything the screen needs is known.
  public static func next(_ state: ExplorerState) -> Job? {
    let models = Array(state.overview.models.indices)
    let results = state.results

    if let patient = state.currentPatient {
      if results.images[patient] == nil { return .image(patient: patient) }
      for m in models where results.overlays[PatientModel(patient: patient, model: m)] == nil {
        return .gradient(patient: patient, model: m)
      }
      for m in models where results.figures(patient: patient, key: state.figureKey(model: m)) == nil {
        return .figures(patients: [patient], key: state.figureKey(model: m))
      }
      if state.charts.showFlow {
        for m in models where results.flows[PatientModel(patient: patient, model: m)] == nil {
          return .flow(patient: patient, model: m)
        }
      }
      for neighbour in neighbours(state) where results.images[neighbour] == nil {
        return .image(patient: neighbour)
      }
    }

    // Cohort figures (which bring the risks of their patients along), then the risks of the
    // patients outside the cohort, the AUCs and the cohort statistics.
    let order = listOrderFromSelection(state)
    let cohort = state.cohortPatients
    let inCohort = Set(cohort)
    for m in models {
      let key = state.figureKey(model: m)
      let known = results.figures[key] ?? [:]
      let missing = order.lazy.filter { inCohort.contains($0) && known[$0] == nil }.prefix(figureChunk)
      if !missing.isEmpty { return .figures(patients: Array(missing), key: key) }
    }
    for m in models {
      let missing = order.lazy.filter { results.risks[m][$0] == nil }.prefix(riskChunk)
      if !missing.isEmpty { return .risks(patients: Array(missing), model: m) }
    }
    for key in aucKeys(state) where results.aucs[key] == nil {
      let patients = state.overview.patients.indices.filter {
        key.split == nil || state.overview.patients[$0].split == key.split
      }
      return .auc(patients: patients, key: key)
    }
    for m in models where results.cohorts[state.cohortKey(model: m)] == nil {
      return .cohort(patients: cohort, key: state.cohortKey(model: m))
    }

    // Idle: prepare the neighbours' gradients too, so the overlay is there at once.
    for neighbour in neighbours(state) {
      for m in models where results.overlays[PatientModel(patient: neighbour, model: m)] == nil {
        return .gradient(patient: neighbour, model: m)
      }
    }
    return nil
  }

  /// The patients just below and above the selection in the list.
  static func neighbours(_ state: ExplorerState) -> [Int] {
    let order = state.list.order, selection = state.list.selection
    return [selection + 1, selection - 1].filter { order.indices.contains($0) }.map { order[$0] }
  }

  /// All patients, starting at the selection in list order (so that visible rows fill first),
  /// then the rest of the list, then patients filtered out of the list.
  static func listOrderFromSelection(_ state: ExplorerState) -> [Int] {
    let order = state.list.order
    let start = max(0, state.list.selection - state.layout.listRows / 2)
    var result = Array(order[min(start, order.count)...]) + Array(order[..<min(start, order.count)])
    if result.count < state.overview.patients.count {
      let listed = Set(order)
      result += state.overview.patients.indices.filter { !listed.contains($0) }
    }
    return result
  }

  /// AUCs the charts show: the test split's, and the filtered split's when it is train or val.
  static func aucKeys(_ state: ExplorerState) -> [AUCKey] {
    var keys: [AUCKey] = []
    for m in state.overview.models.indices {
      keys.append(AUCKey(model: m, split: .test))
      if let split = state.list.splitFilter, split != .test { keys.append(AUCKey(model: m, split: split)) }
    }
    return keys
  }
}

extension JobPlanner {
  /// Whether the running `job` should stop early: the current patient's own work is missing
  /// (it must not wait behind cohort work), or the job is for figures no longer shown.
  public static func shouldCancel(_ job: Job, state: ExplorerState) -> Bool {
    guard job.isCancellable else { return false }
    if currentPatientNeedsWork(state) { return true }
    let models = state.overview.models.indices
    switch job {
    case .figures(_, let key): return !models.contains { state.figureKey(model: $0) == key }
    case .cohort(_, let key): return !models.contains { state.cohortKey(model: $0) == key }
    case .auc(_, let key): return !aucKeys(state).contains(key)
    case .flow(let patient, _): return !state.charts.showFlow || patient != state.currentPatient
    case .risks, .image, .gradient: return false
    }
  }

  /// Whether the current patient's image, gradients or figures are still missing.
  static func currentPatientNeedsWork(_ state: ExplorerState) -> Bool {
    guard let patient = state.currentPatient else { return false }
    let results = state.results
    if results.images[patient] == nil { return true }
    for m in state.overview.models.indices {
      if results.overlays[PatientModel(patient: patient, model: m)] == nil { return true }
      if results.figures(patient: patient, key: state.figureKey(model: m)) == nil { return true }
    }
    return false
  }
}
