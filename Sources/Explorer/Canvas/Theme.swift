// Theme: the colour of each role on screen (titles, borders, bars per model, markers), chosen for
// the terminal's colour depth. Without colour (NO_COLOR, vt100) roles fall back to bold/reverse.
// 256-colour choices avoid palette entries 0–15, which terminal themes redefine.

import Imaging

public struct Theme: Sendable, Equatable {
  public var title: Style
  public var border: Style
  public var focusedBorder: Style
  public var header: Style
  public var selected: Style
  public var dim: Style
  public var key: Style
  public var warning: Style
  public var error: Style
  /// Bars per model (index 0 = A, 1 = B, others reuse them): the patient's and the cohort's.
  public var patientBars: [Style]
  public var cohortBars: [Style]
  public var noise: Style
  public var whisker: Style
  public var significant: Style
  public var progress: Style

  public func patientBar(model: Int) -> Style { patientBars[model % patientBars.count] }
  public func cohortBar(model: Int) -> Style { cohortBars[model % cohortBars.count] }

  public init(colors: ColorDepth) {
    switch colors {
    case .palette256, .direct:
      title = Style(.indexed(255), on: .indexed(237), bold: true)
      border = Style(.indexed(242)); focusedBorder = Style(.indexed(75), bold: true)
      header = Style(.indexed(252), bold: true); selected = Style(reverse: true)
      dim = Style(.indexed(245)); key = Style(.indexed(229), bold: true)
      warning = Style(.indexed(214), bold: true); error = Style(.indexed(203), bold: true)
      patientBars = [Style(.indexed(117)), Style(.indexed(216))]
      cohortBars = [Style(.indexed(33)), Style(.indexed(208))]
      noise = Style(.indexed(201), bold: true); whisker = Style(.indexed(255), bold: true)
      significant = Style(.indexed(46), bold: true); progress = Style(.indexed(114))
    case .eight, .sixteen:
      title = Style(.indexed(7), on: .indexed(4), bold: true)
      border = Style(.indexed(7)); focusedBorder = Style(.indexed(6), bold: true)
      header = Style(bold: true); selected = Style(reverse: true)
      dim = Style(.indexed(colors == .sixteen ? 8 : 7)); key = Style(.indexed(3), bold: true)
      warning = Style(.indexed(3), bold: true); error = Style(.indexed(1), bold: true)
      patientBars = [Style(.indexed(6)), Style(.indexed(3))]
      cohortBars = [Style(.indexed(4)), Style(.indexed(1))]
      noise = Style(.indexed(5), bold: true); whisker = Style(.indexed(7), bold: true)
      significant = Style(.indexed(2), bold: true); progress = Style(.indexed(2))
    case .none:
      title = Style(reverse: true); border = .plain; focusedBorder = Style(bold: true)
      header = Style(bold: true); selected = Style(reverse: true); dim = .plain
      key = Style(bold: true); warning = Style(bold: true); error = Style(bold: true)
      patientBars = [.plain]; cohortBars = [.plain]
      noise = Style(bold: true); whisker = Style(bold: true); significant = Style(bold: true)
      progress = .plain
    }
  }
}
