// WorkProgress: how far the background work for the current view has come (every cohort patient's
// figures, every patient's risk from each model, the cohort statistics), derived from the
// results already stored; the status line draws it as a progress bar.

public struct WorkProgress: Sendable, Equatable {
  /// What is being computed now ("cohort figures", "risks", "statistics"), or nil when complete.
  public var phase: String?
  public var done: Int
  public var total: Int

  public var isComplete: Bool { phase == nil }
  public var fraction: Double { total == 0 ? 1 : Double(done) / Double(total) }

  public init(_ state: ExplorerState) {
    let models = state.overview.models.indices
    let patients = state.overview.patients.count
    let cohort = state.cohortPatients
    var done = 0, total = 0
    var phase: String?
    for m in models {
      let risks = state.results.riskCount(model: m)
      let figures = state.results.figureCount(of: cohort, key: state.figureKey(model: m))
      let summary = state.results.cohorts[state.cohortKey(model: m)] == nil ? 0 : 1
      done += risks + figures + summary
      total += patients + cohort.count + 1
      if phase == nil {
        if figures < cohort.count { phase = "cohort figures" }
        else if risks < patients { phase = "risks" }
        else if summary == 0 { phase = "statistics" }
      }
    }
    self.phase = phase
    self.done = done
    self.total = total
  }
}
