// ChartState: the chart pane's choices: which features are enabled (the checklist), where its
// cursor is, and the noise baseline and alignment measure shown.

public struct ChartState: Sendable, Equatable {
  public var enabled: [Bool]
  /// The feature the checklist cursor is on (Space toggles it).
  public var cursor = 0
  /// First feature row shown when the table is taller than the pane.
  public var top = 0
  /// Indices into the overview's baselines and measures.
  public var baseline = 0
  public var measure = 0
  /// Whether each enabled feature also shows its sparkline along the current patient's gradient
  /// flow path (a third line; computed in the background on demand).
  public var showFlow = false

  public init(features: Int, enabled initially: [Int]) {
    enabled = [Bool](repeating: false, count: features)
    for index in initially where enabled.indices.contains(index) { enabled[index] = true }
  }

  public var enabledFeatures: [Int] { enabled.indices.filter { enabled[$0] } }

  /// Toggles feature `index`; returns false if there is no such feature.
  @discardableResult
  public mutating func toggle(_ index: Int) -> Bool {
    guard enabled.indices.contains(index) else { return false }
    enabled[index].toggle()
    return true
  }

  /// Enables every feature, or disables all when all are enabled.
  public mutating func toggleAll() {
    let target = !enabled.allSatisfy { $0 }
    for index in enabled.indices { enabled[index] = target }
  }

  public mutating func moveCursor(by delta: Int, lines: Int) {
    guard !enabled.isEmpty else { return }
    cursor = min(max(cursor + delta, 0), enabled.count - 1)
    keepCursorVisible(lines: lines)
  }

  /// Screen lines feature `index` takes in the table: two when enabled (patient and cohort
  /// bars; three with the flow sparkline), one when disabled.
  public func lineCount(_ index: Int) -> Int { enabled[index] ? (showFlow ? 3 : 2) : 1 }

  /// Scrolls the feature table so that the cursor's lines are among the `lines` shown.
  public mutating func keepCursorVisible(lines: Int) {
    guard lines > 0, !enabled.isEmpty else { top = 0; return }
    cursor = min(cursor, enabled.count - 1)
    if cursor < top { top = cursor }
    // Move `top` down until the cursor's feature fits below it.
    while top < cursor && (top...cursor).reduce(0, { $0 + lineCount($1) }) > lines { top += 1 }
    // Use free space at the bottom to show more features above.
    while top > 0 && (top - 1..<enabled.count).reduce(0, { $0 + lineCount($1) }) <= lines { top -= 1 }
  }
}
