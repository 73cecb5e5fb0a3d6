// ExplorerState: everything the screen shows, as one value. Key handlers change it, results from
// the background worker are merged into it, and the draw functions read it (and nothing else).

import Imaging
import Pipeline

/// Which of slices and charts is shown when the terminal is too narrow for both (80–139 columns).
public enum NarrowPane: Sendable, Equatable { case slices, charts }

/// A one-line message in the status line until the next key.
public struct Notice: Sendable, Equatable {
  public enum Level: Sendable { case info, warning, error }
  public var text: String
  public var level: Level
  public init(_ text: String, level: Level = .info) { self.text = text; self.level = level }
}

/// The `/` search prompt while it is open.
public struct SearchPrompt: Sendable, Equatable {
  public var query: String
  /// The patient selected when the search began (Esc returns to it).
  public var origin: Int?
}

public struct ExplorerState: Sendable {
  public let overview: ExploreOverview
  public let profile: TerminalProfile
  /// How slices are drawn (auto-detected for the terminal, or `--render`).
  public var renderMode: RenderMode
  /// Terminal size in cells.
  public private(set) var width: Int
  public private(set) var height: Int

  public var list: PatientList
  public var slices: SliceViewState
  public var charts: ChartState
  public var results: ResultStore

  public var narrowPane: NarrowPane = .slices
  public var helpVisible = false
  public var search: SearchPrompt?
  /// The last search (for `n` / `N`).
  public var lastQuery = ""
  public var notice: Notice?

  public init(overview: ExploreOverview, profile: TerminalProfile, renderMode: RenderMode,
              width: Int, height: Int) {
    self.overview = overview
    self.profile = profile
    self.renderMode = renderMode
    self.width = width
    self.height = height
    list = PatientList(patients: overview.patients, models: overview.models.count)
    slices = SliceViewState()
    charts = ChartState(features: overview.features.count, enabled: overview.initiallyEnabled)
    results = ResultStore(models: overview.models.count, patients: overview.patients.count)
    if let first = overview.notices.first {
      notice = Notice(overview.notices.count > 1 ? "\(first) (+\(overview.notices.count - 1) more)" : first,
                      level: .warning)
    }
    keepSelectionVisible()
  }

  /// Where each pane goes at the current size.
  public var layout: Layout { Layout(width: width, height: height) }

  /// The patient whose slices and figures are shown, if the list is not empty.
  public var currentPatient: Int? { list.selectedPatient }

  /// The figures currently chosen for model `model`.
  public func figureKey(model: Int) -> FigureKey {
    FigureKey(model: model, baseline: charts.baseline, measure: charts.measure)
  }

  /// The cohort figures chosen for model `model`: the key and the patients of the split filter.
  public func cohortKey(model: Int) -> CohortKey {
    CohortKey(figures: figureKey(model: model), split: list.splitFilter)
  }

  /// Patients the cohort figures are computed over: those passing the split filter.
  public var cohortPatients: [Int] { list.filteredPatients }

  /// Changes the terminal size and keeps the selection on screen.
  public mutating func resize(width: Int, height: Int) {
    self.width = width
    self.height = height
    keepSelectionVisible()
    charts.keepCursorVisible(lines: layout.featureLines)
  }

  /// Scrolls the patient list so that the selected row is visible.
  public mutating func keepSelectionVisible() {
    list.scrollToSelection(visibleRows: layout.listRows)
  }

  /// Called after the selected patient changed: the slice goes back to the tumour's centre.
  public mutating func patientChanged() {
    slices.slice = nil
    keepSelectionVisible()
  }

  /// Recomputes Holm adjustments and significance of every known cohort result for the features
  /// shown now (cheap; `assess` is pure).
  public mutating func refreshAssessments(using data: any ExplorerData) {
    results.assessments.removeAll()
    let shown = charts.enabledFeatures
    for (key, outcome) in results.cohorts {
      guard case .success(let figures) = outcome else { continue }
      let verdicts = data.assess(shown.map { $0 < figures.count ? figures[$0] : nil })
      var byFeature = [CohortAssessment?](repeating: nil, count: overview.features.count)
      for (position, feature) in shown.enumerated() where position < verdicts.count {
        byFeature[feature] = verdicts[position]
      }
      results.assessments[key] = byFeature
    }
  }
}
