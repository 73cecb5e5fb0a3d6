// Layout: where the panes go for a terminal size. At 140 columns or more the patient list, the
// slices and the charts sit side by side; from 80 to 139 the slices and the charts share one pane
// (Tab switches); below 80×24 only a "terminal too small" screen is shown.

public struct Layout: Sendable, Equatable {
  public static let minimumWidth = 80, minimumHeight = 24, wideWidth = 140
  /// Lines of the chart pane above the feature rows: model names, AUC and risk, the axis.
  public static let chartHeaderLines = 3

  public let width: Int, height: Int

  public init(width: Int, height: Int) { self.width = width; self.height = height }

  public var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
  /// All three panes side by side.
  public var isWide: Bool { width >= Self.wideWidth }

  public var titleRow: Rect { Rect(x: 0, y: 0, width: width, height: 1) }
  public var statusRow: Rect { Rect(x: 0, y: height - 1, width: width, height: 1) }
  private var bodyHeight: Int { max(0, height - 2) }

  private var listWidth: Int { isWide ? (width >= 180 ? 38 : 34) : 30 }

  public var list: Rect { Rect(x: 0, y: 1, width: listWidth, height: bodyHeight) }

  /// The charts pane (in narrow layouts the same rectangle as `slices`).
  public var charts: Rect {
    let rest = width - listWidth
    guard isWide else { return Rect(x: listWidth, y: 1, width: rest, height: bodyHeight) }
    let chartWidth = max(60, rest * 55 / 100)
    return Rect(x: width - chartWidth, y: 1, width: chartWidth, height: bodyHeight)
  }

  public var slices: Rect {
    guard isWide else { return charts }
    return Rect(x: listWidth, y: 1, width: charts.x - listWidth, height: bodyHeight)
  }

  /// Patient rows visible in the list (inside the frame, below the column header).
  public var listRows: Int { max(0, list.height - 3) }

  /// Lines below the feature rows: the legend, then the cursor feature's figures per model (two
  /// lines per model on tall screens, one otherwise).
  public var chartFooterLines: Int { height >= 40 ? 5 : 3 }

  /// Screen lines available for feature rows in the chart pane.
  public var featureLines: Int { max(0, charts.height - 2 - Self.chartHeaderLines - chartFooterLines) }
}
