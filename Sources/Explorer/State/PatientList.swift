// PatientList: the patient pane's state: which patients pass the split filter, in which order
// (sort column and direction), which one is selected and where the visible window starts.

import Imaging
import Pipeline

/// A column the patient list can be sorted by.
public enum SortColumn: Sendable, Equatable, CustomStringConvertible {
  case id, label, risk(model: Int), split

  public var description: String {
    switch self {
    case .id: "id"
    case .label: "DM"
    case .risk(let model): "risk \(model == 0 ? "A" : model == 1 ? "B" : String(model + 1))"
    case .split: "split"
    }
  }
}

public struct PatientList: Sendable {
  private let records: [PatientRecord]
  private let modelCount: Int
  /// Patient indices shown, in display order.
  public private(set) var order: [Int]
  /// Position of the selection in `order`.
  public private(set) var selection = 0
  /// First visible row.
  public private(set) var top = 0
  public private(set) var sort: SortColumn = .id
  public private(set) var descending = false
  /// Only patients of this split are listed (nil: all).
  public private(set) var splitFilter: Split?

  public init(patients: [PatientRecord], models: Int) {
    records = patients
    modelCount = models
    order = Array(patients.indices)
    reorder(risks: [])
    selection = 0
  }

  public var selectedPatient: Int? { order.isEmpty ? nil : order[selection] }
  public var count: Int { order.count }

  /// Patients passing the split filter, in cohort order.
  public var filteredPatients: [Int] {
    guard let splitFilter else { return Array(records.indices) }
    return records.indices.filter { records[$0].split == splitFilter }
  }

  /// The columns `s` cycles through.
  public var sortColumns: [SortColumn] {
    [.id, .label] + (0..<modelCount).map { SortColumn.risk(model: $0) } + [.split]
  }

  // MARK: Selection

  /// Moves the selection by `delta` rows, stopping at the ends. Returns whether it moved.
  @discardableResult
  public mutating func move(by delta: Int) -> Bool {
    guard !order.isEmpty else { return false }
    let target = min(max(selection + delta, 0), order.count - 1)
    defer { selection = target }
    return target != selection
  }

  /// Selects the first or last row.
  @discardableResult
  public mutating func moveToEnd(last: Bool) -> Bool { move(by: last ? order.count : -order.count) }

  /// Selects `patient` if it is listed. Returns whether the selection changed.
  @discardableResult
  public mutating func select(patient: Int) -> Bool {
    guard let position = order.firstIndex(of: patient), position != selection else { return false }
    selection = position
    return true
  }

  /// Selects the row at `position` of `order`.
  @discardableResult
  public mutating func select(row position: Int) -> Bool {
    guard order.indices.contains(position), position != selection else { return false }
    selection = position
    return true
  }

  /// Adjusts `top` so that the selection lies within `visibleRows` rows.
  public mutating func scrollToSelection(visibleRows: Int) {
    guard visibleRows > 0 else { top = selection; return }
    if selection < top { top = selection }
    if selection >= top + visibleRows { top = selection - visibleRows + 1 }
    top = max(0, min(top, max(0, order.count - visibleRows)))
  }

  // MARK: Search

  /// The next listed patient (after the selection, wrapping; `backward` to search upward) whose id
  /// contains `query`, ignoring case; the selection itself counts when `includeCurrent`.
  public func match(_ query: String, backward: Bool = false, includeCurrent: Bool = false) -> Int? {
    guard !order.isEmpty, !query.isEmpty else { return nil }
    let needle = query.lowercased()
    let n = order.count
    for step in (includeCurrent ? 0 : 1)...n {
      let position = ((selection + (backward ? -step : step)) % n + n) % n
      if records[order[position]].id.lowercased().contains(needle) { return order[position] }
    }
    return nil
  }

  // MARK: Sorting and filtering

  /// The next sort column (the same column twice in a row is not possible: `S` reverses).
  public mutating func cycleSort(risks: [[Result<Double, ExploreProblem>?]]) {
    let columns = sortColumns
    let index = columns.firstIndex(of: sort) ?? 0
    sort = columns[(index + 1) % columns.count]
    // Risks and DM read best highest first.
    switch sort {
    case .risk, .label: descending = true
    default: descending = false
    }
    reorder(risks: risks)
  }

  public mutating func reverseSort(risks: [[Result<Double, ExploreProblem>?]]) {
    descending.toggle()
    reorder(risks: risks)
  }

  /// The next split filter: all → train → val → test → all.
  public mutating func cycleSplitFilter(risks: [[Result<Double, ExploreProblem>?]]) {
    let cycle: [Split?] = [nil] + Split.allCases
    let index = cycle.firstIndex(of: splitFilter) ?? 0
    splitFilter = cycle[(index + 1) % cycle.count]
    reorder(risks: risks)
  }

  /// Rebuilds `order` from the filter and sort, keeping the selected patient selected (or the
  /// nearest row if it was filtered out). Patients without a risk yet sort last.
  public mutating func reorder(risks: [[Result<Double, ExploreProblem>?]]) {
    let previous = selectedPatient
    var shown = filteredPatients
    let column = sort, down = descending
    func risk(_ patient: Int, _ model: Int) -> Double? {
      guard model < risks.count, patient < risks[model].count,
            case .success(let value)? = risks[model][patient] else { return nil }
      return value
    }
    shown.sort { a, b in
      switch column {
      case .id:
        let (x, y) = (records[a].id, records[b].id)
        return x == y ? a < b : (down ? x > y : x < y)
      case .label:
        let (x, y) = (records[a].label, records[b].label)
        return x == y ? a < b : (down ? x > y : x < y)
      case .split:
        let rank: [Split: Int] = [.train: 0, .val: 1, .test: 2]
        let (x, y) = (rank[records[a].split] ?? 0, rank[records[b].split] ?? 0)
        return x == y ? a < b : (down ? x > y : x < y)
      case .risk(let model):
        switch (risk(a, model), risk(b, model)) {
        case (nil, nil): return a < b
        case (nil, _): return false
        case (_, nil): return true
        case (let x?, let y?): return x == y ? a < b : (down ? x > y : x < y)
        }
      }
    }
    order = shown
    if let previous, let position = order.firstIndex(of: previous) {
      selection = position
    } else if let previous {
      // Filtered out: the nearest patient in cohort order that is still listed.
      selection = order.firstIndex { $0 >= previous } ?? max(0, order.count - 1)
    } else {
      selection = 0
    }
    selection = min(selection, max(0, order.count - 1))
  }

  /// Whether sorting depends on risks (so new risks require reordering).
  public var sortsByRisk: Bool {
    if case .risk = sort { return true }
    return false
  }
}
