// ChartPane: the alignment charts, one per model side by side, sharing one feature checklist at
// the left. Per enabled feature: a bar for the current patient (with its noise level marker)
// and one for the cohort (mean with its CI whisker, noise marker and significance mark), values
// in digits; with `p`, a third line: the feature along the patient's gradient-flow path as a
// sparkline. Disabled features take one dim line. Below: a legend and the cursor's details.

import Foundation
import Imaging
import Pipeline

package enum ChartPane {
  static func draw(_ state: ExplorerState, into grid: inout CellGrid, rect: Rect) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let ascii = glyphs.isASCII, dot = glyphs.middleDot
    let overview = state.overview
    grid.fill(rect)
    let measure = overview.measures.indices.contains(state.charts.measure)
      ? overview.measures[state.charts.measure].label : "?"
    let baseline = overview.baselines.indices.contains(state.charts.baseline)
      ? overview.baselines[state.charts.baseline].label : "?"
    let cohortName = state.list.splitFilter?.rawValue ?? "all"
    let inner = grid.box(rect, title: "Alignment \(dot) \(measure) vs \(baseline)",
                         note: "cohort: \(cohortName) \(state.cohortPatients.count)",
                         style: theme.border, titleStyle: theme.header, glyphs: glyphs)
    guard inner.width > 10, inner.height > Layout.chartHeaderLines + state.layout.chartFooterLines else { return }
    guard !overview.features.isEmpty else {
      grid.put("No features.", x: inner.x + 1, y: inner.y + 1, style: theme.warning, ascii: ascii)
      return
    }

    let geometry = Geometry(inner: inner, models: max(1, overview.models.count),
                            longestName: overview.features.map(\.name.count).max() ?? 8)
    if overview.models.isEmpty {
      let x = geometry.modelX(0), width = inner.maxX - x
      grid.put("No models to chart.", x: x, y: inner.y, style: theme.warning, limit: width, ascii: ascii)
      grid.put("Open the explorer with --model FILE", x: x, y: inner.y + 2, limit: width, ascii: ascii)
      grid.put("(twice to compare two models).", x: x, y: inner.y + 3, limit: width, ascii: ascii)
    }
    let scale = self.scale(state)
    let patient = state.currentPatient

    // Headings: model, AUC, the patient's risk.
    for (m, model) in overview.models.enumerated() {
      let x = geometry.modelX(m)
      var auc = "AUC test " + aucText(state.results.aucs[AUCKey(model: m, split: .test)], dot: dot)
      if let split = state.list.splitFilter, split != .test {
        auc += " \(split.rawValue) " + aucText(state.results.aucs[AUCKey(model: m, split: split)], dot: dot)
      }
      let risk: String
      switch patient.flatMap({ state.results.risk(patient: $0, model: m) }) {
      case .success(let value)?: risk = Format.fixed(value, digits: 2)
      case .failure?: risk = "err"
      case nil: risk = String(dot)
      }
      // Name on the first line; AUC and risk on the second, in the longest form that fits.
      let name = "\(model.label) \(model.name)"
      grid.put(name, x: x, y: inner.y, style: theme.header, limit: geometry.modelWidth, ascii: ascii)
      grid.put(model.label, x: x, y: inner.y, style: theme.patientBar(model: m).emphasized)
      let candidates = [
        "\(auc)  risk \(risk)",
        "\(auc.replacingOccurrences(of: "AUC test", with: "AUC")) risk \(risk)",
        "AUC \(aucText(state.results.aucs[AUCKey(model: m, split: .test)], dot: dot)) risk \(risk)",
        "AUC \(aucText(state.results.aucs[AUCKey(model: m, split: .test)], dot: dot)) r \(risk)",
      ]
      let metrics = candidates.first { $0.count <= geometry.modelWidth } ?? candidates[candidates.count - 1]
      grid.put(metrics, x: x, y: inner.y + 1, limit: geometry.modelWidth, ascii: ascii)
      // Axis: 0 at the bar's start, the scale at its end.
      let scaleText = Format.fixed(scale, digits: scale < 0.1 ? 3 : 2)
      grid.put("0", x: x, y: inner.y + 2, style: theme.dim)
      grid.put(scaleText, x: x + geometry.barWidth - scaleText.count, y: inner.y + 2, style: theme.dim)
      grid.put(DisplayText.fit("value", geometry.valueWidth, alignRight: true),
               x: x + geometry.barWidth, y: inner.y + 2, style: theme.dim)
    }
    let labelHeader = geometry.labelWidth > 21 ? "feature (Space, 1-9)" : "feature"
    grid.put(labelHeader, x: inner.x, y: inner.y + 2,
             style: theme.dim, limit: geometry.labelWidth, ascii: ascii)

    // Feature rows.
    let firstLine = inner.y + Layout.chartHeaderLines
    let lines = state.layout.featureLines
    var line = 0
    var feature = state.charts.top
    while feature < overview.features.count && line + state.charts.lineCount(feature) <= lines {
      let y = firstLine + line
      drawLabel(state, feature: feature, x: inner.x, y: y, width: geometry.labelWidth, into: &grid)
      if state.charts.enabled[feature] {
        grid.put(DisplayText.fit("cohort", geometry.labelWidth - 1, alignRight: true), x: inner.x, y: y + 1,
                 style: theme.dim, ascii: ascii)
        for m in overview.models.indices {
          drawPatientBar(state, feature: feature, model: m, scale: scale, x: geometry.modelX(m), y: y,
                         geometry: geometry, into: &grid)
          drawCohortBar(state, feature: feature, model: m, scale: scale, x: geometry.modelX(m), y: y + 1,
                        geometry: geometry, into: &grid)
        }
        if state.charts.showFlow {
          grid.put(DisplayText.fit("flow", geometry.labelWidth - 1, alignRight: true), x: inner.x, y: y + 2,
                   style: theme.dim, ascii: ascii)
          for m in overview.models.indices {
            drawFlowLine(state, feature: feature, model: m, x: geometry.modelX(m), y: y + 2,
                         geometry: geometry, into: &grid)
          }
        }
      }
      line += state.charts.lineCount(feature)
      feature += 1
    }
    if state.charts.top > 0 { grid[rect.maxX - 2, firstLine - 1] = theme.border.cell(glyphs.scrollUp) }
    if feature < overview.features.count { grid[rect.maxX - 2, firstLine + lines] = theme.border.cell(glyphs.scrollDown) }

    drawFooter(state, inner: inner, into: &grid)
  }

  /// Column geometry: the checklist labels at the left, then one chart per model.
  package struct Geometry {
    let inner: Rect
    let labelWidth: Int
    let modelWidth: Int
    static let valueWidth = 7
    var valueWidth: Int { Self.valueWidth }
    package var barWidth: Int { max(1, modelWidth - Self.valueWidth - 1) }

    package init(inner: Rect, models: Int, longestName: Int) {
      self.inner = inner
      labelWidth = max(12, min(longestName + 7, inner.width * 3 / 10))
      let rest = inner.width - labelWidth - 1
      modelWidth = max(Self.valueWidth + 2, (rest - (models - 1)) / max(1, models))
    }

    package func modelX(_ model: Int) -> Int { inner.x + labelWidth + 1 + model * (modelWidth + 1) }
  }

  /// The feature drawn at `line` lines below the first feature line, for mouse clicks.
  static func feature(atLine line: Int, charts: ChartState, lines: Int) -> Int? {
    guard line >= 0, line < lines else { return nil }
    var used = 0
    var feature = charts.top
    while feature < charts.enabled.count {
      let height = charts.lineCount(feature)
      if line < used + height { return feature }
      used += height
      feature += 1
    }
    return nil
  }

  /// The shared scale of all bars shown: a round number above every value drawn.
  package static func scale(_ state: ExplorerState) -> Double {
    var maximum = 0.0
    let shown = state.charts.enabledFeatures
    for m in state.overview.models.indices {
      if let patient = state.currentPatient,
         case .success(let figures)? = state.results.figures(patient: patient, key: state.figureKey(model: m)) {
        for k in shown where k < figures.count {
          maximum = max(maximum, figures[k].alignment ?? 0, figures[k].noise ?? 0)
        }
      }
      if case .success(let figures)? = state.results.cohorts[state.cohortKey(model: m)] {
        for k in shown where k < figures.count {
          maximum = max(maximum, figures[k].mean ?? 0, figures[k].ciHigh ?? 0, figures[k].noise ?? 0)
        }
      }
    }
    return Bar.niceScale(maximum)
  }

  private static func aucText(_ auc: Double??, dot: Character) -> String {
    switch auc {
    case .some(.some(let value)): Format.fixed(value, digits: 2)
    case .some(.none): "n/a"
    case .none: String(dot)
    }
  }

  private static func drawLabel(_ state: ExplorerState, feature: Int, x: Int, y: Int, width: Int,
                                into grid: inout CellGrid) {
    let theme = state.profile.theme
    let on = state.charts.enabled[feature]
    let number = feature < 9 ? String(feature + 1) : feature == 9 ? "0" : " "
    let name = state.overview.features[feature].name
    // "[x] 1 shape.volume"; in a narrow column "x1 shape.volume", then "x1 s.volume" (the same
    // form for every feature, chosen by the longest name).
    let longest = state.overview.features.map(\.name.count).max() ?? name.count
    let mark = on ? "x" : " "
    var text = "[\(mark)] \(number) \(name)"
    if longest + 6 >= width {
      text = "\(mark)\(number) \(name)"
      if longest + 3 >= width, let dot = name.firstIndex(of: "."), dot != name.startIndex {
        text = "\(mark)\(number) \(name[name.startIndex]).\(name[name.index(after: dot)...])"
      }
    }
    var style: Style = on ? .plain : theme.dim
    if feature == state.charts.cursor { style = theme.selected }
    grid.put(DisplayText.fit(text, width - 1, ascii: !state.profile.unicode), x: x, y: y, style: style,
             ascii: !state.profile.unicode)
  }

  private static func drawPatientBar(_ state: ExplorerState, feature: Int, model: Int, scale: Double,
                                     x: Int, y: Int, geometry: Geometry, into grid: inout CellGrid) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let valueX = x + geometry.barWidth
    guard let patient = state.currentPatient,
          let outcome = state.results.figures(patient: patient, key: state.figureKey(model: model)) else {
      grid.put(DisplayText.fit(String(glyphs.ellipsis), geometry.valueWidth - 1, alignRight: true),
               x: valueX, y: y, style: theme.dim)
      return
    }
    guard case .success(let figures) = outcome, feature < figures.count else {
      grid.put(DisplayText.fit("err", geometry.valueWidth - 1, alignRight: true), x: valueX, y: y, style: theme.error)
      return
    }
    let figure = figures[feature]
    guard let alignment = figure.alignment else {
      grid.put(DisplayText.fit("undef", geometry.valueWidth - 1, alignRight: true), x: valueX, y: y, style: theme.dim)
      return
    }
    Bar.draw(alignment, scale: scale, x: x, y: y, width: geometry.barWidth, style: theme.patientBar(model: model),
             glyphs: glyphs, into: &grid)
    if let noise = figure.noise {
      Bar.mark(glyphs.marker, style: theme.noise, x: x + Bar.column(noise, scale: scale, width: geometry.barWidth),
               y: y, glyphs: glyphs, into: &grid)
    }
    grid.put(DisplayText.fit(Format.fixed(alignment, digits: 3), geometry.valueWidth - 1, alignRight: true),
             x: valueX, y: y)
  }

  private static func drawCohortBar(_ state: ExplorerState, feature: Int, model: Int, scale: Double,
                                    x: Int, y: Int, geometry: Geometry, into grid: inout CellGrid) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let valueX = x + geometry.barWidth
    let key = state.cohortKey(model: model)
    guard let outcome = state.results.cohorts[key] else {
      grid.put(DisplayText.fit(String(glyphs.ellipsis), geometry.valueWidth - 1, alignRight: true),
               x: valueX, y: y, style: theme.dim)
      return
    }
    guard case .success(let figures) = outcome, feature < figures.count else {
      grid.put(DisplayText.fit("err", geometry.valueWidth - 1, alignRight: true), x: valueX, y: y, style: theme.error)
      return
    }
    let figure = figures[feature]
    guard let mean = figure.mean else {
      grid.put(DisplayText.fit("undef", geometry.valueWidth - 1, alignRight: true), x: valueX, y: y, style: theme.dim)
      return
    }
    Bar.draw(mean, scale: scale, x: x, y: y, width: geometry.barWidth, style: theme.cohortBar(model: model),
             glyphs: glyphs, into: &grid)
    if let low = figure.ciLow, let high = figure.ciHigh {
      Bar.whisker(low: low, high: high, scale: scale, x: x, y: y, width: geometry.barWidth, style: theme.whisker,
                  glyphs: glyphs, into: &grid)
    }
    if let noise = figure.noise {
      Bar.mark(glyphs.marker, style: theme.noise, x: x + Bar.column(noise, scale: scale, width: geometry.barWidth),
               y: y, glyphs: glyphs, into: &grid)
    }
    grid.put(DisplayText.fit(Format.fixed(mean, digits: 3), geometry.valueWidth - 1, alignRight: true),
             x: valueX, y: y)
    let verdict = state.results.assessments[key]?[feature] ?? nil
    let significant = verdict?.significant ?? false
    grid.put(significant ? "*" : " ", x: valueX + geometry.valueWidth - 1, y: y,
             style: significant ? theme.significant : .plain)
  }

  /// The feature's values along the current patient's gradient-flow path under model `model`:
  /// a sparkline (x itself in reverse video) and the change along the path.
  private static func drawFlowLine(_ state: ExplorerState, feature: Int, model: Int, x: Int, y: Int,
                                   geometry: Geometry, into grid: inout CellGrid) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let valueX = x + geometry.barWidth
    guard let patient = state.currentPatient,
          let outcome = state.results.flows[PatientModel(patient: patient, model: model)] else {
      grid.put(DisplayText.fit(String(glyphs.ellipsis), geometry.valueWidth - 1, alignRight: true),
               x: valueX, y: y, style: theme.dim)
      return
    }
    guard case .success(let path) = outcome, feature < path.values.count else {
      grid.put(DisplayText.fit("err", geometry.valueWidth - 1, alignRight: true), x: valueX, y: y, style: theme.error)
      return
    }
    let values = path.values[feature]
    Sparkline.draw(values, centre: path.centre, x: x, y: y, width: geometry.barWidth - 1,
                   style: theme.patientBar(model: model), glyphs: glyphs, into: &grid)
    let change = Sparkline.change(values, centre: path.centre) ?? "undef"
    grid.put(DisplayText.fit(change, geometry.valueWidth - 1, alignRight: true), x: valueX, y: y,
             style: change == "undef" ? theme.dim : .plain)
  }

  /// The legend and the cursor feature's value, then per model its figures in full (patient and
  /// cohort on separate lines when the screen is tall enough).
  private static func drawFooter(_ state: ExplorerState, inner: Rect, into grid: inout CellGrid) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let ascii = glyphs.isASCII
    let lines = state.layout.chartFooterLines
    let y = inner.maxY - lines
    let full = String(glyphs.eighths[glyphs.barSteps])
    let feature = state.charts.cursor
    guard state.overview.features.indices.contains(feature) else { return }
    var legend: [(String, Style)] = [
      (full, theme.patientBar(model: 0)), (" patient ", .plain),
      (full, theme.cohortBar(model: 0)), (" cohort ", .plain),
      ("\(glyphs.whiskerLeft)\(glyphs.whisker)\(glyphs.whiskerRight)", theme.whisker), (" 95% CI ", .plain),
      (String(glyphs.marker), theme.noise), (" noise ", .plain),
      ("*", theme.significant), (" significant  ", .plain),
    ]
    legend.append((featureValue(state, feature: feature), theme.header))
    var x = inner.x
    for (text, style) in legend {
      x += grid.put(text, x: x, y: y, style: style, limit: inner.maxX - x, ascii: ascii)
    }
    let perModel = lines >= 5 ? 2 : 1
    for m in state.overview.models.indices where 1 + (m + 1) * perModel <= lines {
      let (patient, cohort) = details(state, feature: feature, model: m)
      let row = y + 1 + m * perModel
      let used = grid.put(state.overview.models[m].label + " ", x: inner.x, y: row,
                          style: theme.patientBar(model: m).emphasized)
      let dot = state.profile.glyphs.middleDot
      let texts = perModel == 2 ? [patient, cohort] : [patient + " \(dot) " + cohort]
      for (offset, text) in texts.enumerated() {
        grid.put(text, x: inner.x + used, y: row + offset, limit: inner.width - used, ascii: ascii)
      }
    }
  }

  /// "shape.volume = 1234" for the current patient (the feature's own value).
  private static func featureValue(_ state: ExplorerState, feature: Int) -> String {
    let name = state.overview.features[feature].name
    for m in state.overview.models.indices {
      if let patient = state.currentPatient,
         case .success(let figures)? = state.results.figures(patient: patient, key: state.figureKey(model: m)),
         feature < figures.count, let value = figures[feature].value {
        return name + " = " + Format.general(value)
      }
    }
    return name
  }

  /// The cursor feature's figures for model `model`: the patient's, and the cohort's.
  /// ("patient 0.412 (noise 0.021)", "cohort 0.385 [0.361–0.409] noise 0.020 · p 2e-05 Holm 3e-04 significant · n 300")
  package static func details(_ state: ExplorerState, feature: Int, model: Int) -> (String, String) {
    let dot = state.profile.glyphs.middleDot, ellipsis = state.profile.glyphs.ellipsis
    let dash = state.profile.unicode ? "–" : "-"
    var patientText = "patient \(ellipsis)"
    if let patient = state.currentPatient,
       let outcome = state.results.figures(patient: patient, key: state.figureKey(model: model)) {
      switch outcome {
      case .success(let figures) where feature < figures.count:
        let figure = figures[feature]
        if let alignment = figure.alignment {
          patientText = "patient " + Format.fixed(alignment, digits: 3)
          if let noise = figure.noise { patientText += " (noise " + Format.fixed(noise, digits: 3) + ")" }
        } else {
          patientText = "patient undefined" + (figure.undefinedReason.map { " (\($0))" } ?? "")
        }
      case .failure(let problem): patientText = "patient: \(problem.message)"
      default: break
      }
    }
    var parts: [String] = []
    let key = state.cohortKey(model: model)
    switch state.results.cohorts[key] {
    case .success(let figures)? where feature < figures.count:
      let figure = figures[feature]
      if let mean = figure.mean {
        var text = "cohort " + Format.fixed(mean, digits: 3)
        if let low = figure.ciLow, let high = figure.ciHigh {
          text += " [" + Format.fixed(low, digits: 3) + dash + Format.fixed(high, digits: 3) + "]"
        }
        if let noise = figure.noise { text += " noise " + Format.fixed(noise, digits: 3) }
        parts.append(text)
        var test = figure.p.map { "p " + Format.pValue($0) } ?? "p n/a"
        if let verdict = state.results.assessments[key]?[feature] ?? nil {
          test += ", Holm " + (verdict.pAdjusted.map(Format.pValue) ?? "n/a")
        }
        parts.append(test)
      } else {
        parts.append("cohort undefined")
      }
      parts.append("n \(figure.count)" + (figure.undefined > 0 ? ", \(figure.undefined) undefined" : ""))
    case .failure(let problem)?: parts.append("cohort: \(problem.message)")
    default: parts.append("cohort \(ellipsis)")
    }
    return (patientText, parts.joined(separator: " \(dot) "))
  }
}
