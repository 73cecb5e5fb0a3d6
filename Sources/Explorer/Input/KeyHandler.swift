// KeyHandler: turns one input event and the state into the changed state and the effect it had
// (what to redraw, whether to replan work or quit). The terminal backend and the tests drive the
// explorer through this one function.

import Pipeline

public enum KeyHandler {
  /// Handles `event`, changing `state`; returns what it caused.
  public static func handle(_ event: InputEvent, state: inout ExplorerState) -> Effect {
    switch event {
    case .resize(let width, let height):
      state.resize(width: width, height: height)
      return [.panes, .repaint]
    case .mouse(let action, let x, let y):
      if state.helpVisible || state.layout.tooSmall { return .none }
      return handleMouse(action, x: x, y: y, state: &state)
    case .key(let key):
      return handleKey(key, state: &state)
    }
  }

  private static func handleKey(_ key: Key, state: inout ExplorerState) -> Effect {
    if key == .control("l") { return [.panes, .repaint] }
    if state.layout.tooSmall {
      return key == .character("q") || key == .character("Q") ? .quit : .none
    }
    if state.helpVisible {
      state.helpVisible = false
      return key == .character("q") ? .quit : .panes
    }
    if state.search != nil { return handleSearch(key, state: &state) }

    var effect: Effect = state.notice == nil ? .none : .status
    state.notice = nil
    switch key {
    case .character("q"), .character("Q"): return .quit
    case .character("?"), .function(1):
      state.helpVisible = true
      return .panes
    case .escape: return effect

    // Patients
    case .character("j"), .down, .control("n"): effect.formUnion(movePatient(by: 1, &state))
    case .character("k"), .up, .control("p"): effect.formUnion(movePatient(by: -1, &state))
    case .pageDown, .control("f"), .control("d"):
      effect.formUnion(movePatient(by: max(1, state.layout.listRows - 1), &state))
    case .pageUp, .control("b"), .control("u"):
      effect.formUnion(movePatient(by: -max(1, state.layout.listRows - 1), &state))
    case .character("g"), .home: effect.formUnion(movePatient(by: -state.list.count, &state))
    case .character("G"), .end: effect.formUnion(movePatient(by: state.list.count, &state))
    case .character("/"):
      state.search = SearchPrompt(query: "", origin: state.currentPatient)
      effect.insert(.status)
    case .character("n"), .character("N"):
      let backward = key == .character("N")
      if let patient = state.list.match(state.lastQuery, backward: backward) {
        effect.formUnion(selectPatient(patient, &state))
      } else if !state.lastQuery.isEmpty {
        state.notice = Notice("no other id contains “\(state.lastQuery)”", level: .warning)
        effect.insert(.status)
      }
    case .character("s"):
      state.list.cycleSort(risks: state.results.risks)
      state.keepSelectionVisible()
      state.notice = Notice("sorted by \(state.list.sort)")
      effect.formUnion([.list, .status])
    case .character("S"):
      state.list.reverseSort(risks: state.results.risks)
      state.keepSelectionVisible()
      effect.insert(.list)
    case .character("f"):
      let before = state.currentPatient
      state.list.cycleSplitFilter(risks: state.results.risks)
      if state.currentPatient != before { state.patientChanged() }
      state.keepSelectionVisible()
      state.notice = Notice("showing \(state.list.splitFilter.map { "\($0.rawValue) split" } ?? "all splits")")
      effect.formUnion([.panes, .work])

    // Slices
    case .character("c"): state.slices.outline.toggle(); effect.insert(.slices)
    case .character("w"): state.slices.window = state.slices.window.next; effect.insert(.slices)
    case .character("x"): state.slices.cropBox.toggle(); effect.insert(.slices)
    case .character("z"): state.slices.zoom.toggle(); effect.insert(.slices)
    case .character("o"):
      state.slices.cycleOverlay(models: state.overview.models.count)
      effect.insert(.slices)
    case .character("v"):
      state.slices.sideBySide.toggle()
      effect.insert(.slices)
    case .character("]"), .character("l"), .right: effect.formUnion(moveSlice(by: 1, &state))
    case .character("["), .character("h"), .left: effect.formUnion(moveSlice(by: -1, &state))
    case .character("t"):
      if state.slices.slice != nil { state.slices.slice = nil; effect.insert(.slices) }
    case .tab, .backTab:
      if !state.layout.isWide {
        state.narrowPane = state.narrowPane == .slices ? .charts : .slices
        effect.formUnion(.panes)
      }

    // Charts
    case .character(" "):
      state.charts.toggle(state.charts.cursor)
      effect.formUnion(featuresToggled(&state))
    case .character(let c) where c.isASCII && c.isNumber:
      let number = Int(String(c)) ?? 0
      let index = number == 0 ? 9 : number - 1
      if state.charts.toggle(index) {
        state.charts.cursor = index
        effect.formUnion(featuresToggled(&state))
      }
    case .character("J"):
      state.charts.moveCursor(by: 1, lines: state.layout.featureLines)
      effect.insert(.charts)
    case .character("K"):
      state.charts.moveCursor(by: -1, lines: state.layout.featureLines)
      effect.insert(.charts)
    case .character("p"):
      state.charts.showFlow.toggle()
      state.notice = Notice(state.charts.showFlow
        ? "flow: each feature along the patient's gradient-flow path (x in reverse video)" : "flow sparklines off")
      effect.formUnion(featuresToggled(&state))
      effect.formUnion([.status, .work])
    case .character("a"):
      state.charts.toggleAll()
      effect.formUnion(featuresToggled(&state))
    case .character("b"):
      let count = state.overview.baselines.count
      if count > 1 {
        state.charts.baseline = (state.charts.baseline + 1) % count
        state.notice = Notice("baseline: \(state.overview.baselines[state.charts.baseline].label)")
        effect.formUnion([.charts, .status, .work, .assess])
      }
    case .character("m"):
      let count = state.overview.measures.count
      if count > 1 {
        state.charts.measure = (state.charts.measure + 1) % count
        state.notice = Notice("measure: \(state.overview.measures[state.charts.measure].label)")
        effect.formUnion([.charts, .status, .work, .assess])
      }
    default:
      break
    }
    return effect
  }

  /// Keys while the `/` prompt is open: typing searches as you type, Enter keeps the match,
  /// Esc returns to where the search began.
  private static func handleSearch(_ key: Key, state: inout ExplorerState) -> Effect {
    guard var prompt = state.search else { return .none }
    var effect: Effect = .status
    switch key {
    case .escape:
      state.search = nil
      if let origin = prompt.origin { effect.formUnion(selectPatient(origin, &state)) }
      return effect
    case .enter:
      state.search = nil
      state.lastQuery = prompt.query
      if !prompt.query.isEmpty, state.list.match(prompt.query, includeCurrent: true) == nil {
        state.notice = Notice("no id contains “\(prompt.query)”", level: .warning)
      }
      return effect
    case .backspace, .delete:
      if !prompt.query.isEmpty { prompt.query.removeLast() }
    case .character(let c):
      prompt.query.append(c)
    case .down, .control("n"):
      if let patient = state.list.match(prompt.query) { effect.formUnion(selectPatient(patient, &state)) }
      return effect
    case .up, .control("p"):
      if let patient = state.list.match(prompt.query, backward: true) { effect.formUnion(selectPatient(patient, &state)) }
      return effect
    default:
      return .none
    }
    state.search = prompt
    // Search from where it began, so that typing more letters can move back up.
    if let origin = prompt.origin { state.list.select(patient: origin) }
    if let patient = state.list.match(prompt.query, includeCurrent: true) {
      effect.formUnion(selectPatient(patient, &state))
    }
    if state.currentPatient != prompt.origin || prompt.query.isEmpty {
      effect.formUnion([.list, .slices, .charts, .work])
    }
    return effect
  }

  private static func handleMouse(_ action: MouseAction, x: Int, y: Int, state: inout ExplorerState) -> Effect {
    let layout = state.layout
    if layout.list.contains(x: x, y: y) {
      switch action {
      case .wheelUp: return movePatient(by: -3, &state)
      case .wheelDown: return movePatient(by: 3, &state)
      case .click:
        let row = y - layout.list.y - 2
        guard row >= 0, row < layout.listRows, state.list.select(row: state.list.top + row) else { return .none }
        state.patientChanged()
        return [.list, .slices, .charts, .status, .work]
      }
    }
    let slicesShown = layout.isWide || state.narrowPane == .slices
    if slicesShown && layout.slices.contains(x: x, y: y) {
      switch action {
      case .wheelUp: return moveSlice(by: 1, &state)
      case .wheelDown: return moveSlice(by: -1, &state)
      case .click: return .none
      }
    }
    let chartsShown = layout.isWide || state.narrowPane == .charts
    if chartsShown && layout.charts.contains(x: x, y: y) {
      switch action {
      case .wheelUp:
        state.charts.moveCursor(by: -1, lines: layout.featureLines); return .charts
      case .wheelDown:
        state.charts.moveCursor(by: 1, lines: layout.featureLines); return .charts
      case .click:
        let line = y - layout.charts.y - 1 - Layout.chartHeaderLines
        guard let feature = ChartPane.feature(atLine: line, charts: state.charts,
                                              lines: layout.featureLines) else { return .none }
        state.charts.cursor = feature
        state.charts.toggle(feature)
        return featuresToggled(&state)
      }
    }
    return .none
  }

  // MARK: Shared steps

  private static func movePatient(by delta: Int, _ state: inout ExplorerState) -> Effect {
    guard state.list.move(by: delta) else { return .none }
    state.patientChanged()
    return [.list, .slices, .charts, .status, .work]
  }

  private static func selectPatient(_ patient: Int, _ state: inout ExplorerState) -> Effect {
    guard state.list.select(patient: patient) else { return .none }
    state.patientChanged()
    return [.list, .slices, .charts, .status, .work]
  }

  private static func moveSlice(by delta: Int, _ state: inout ExplorerState) -> Effect {
    guard let patient = state.currentPatient,
          case .success(let image)? = state.results.images[patient] else { return .none }
    let current = state.slices.slice ?? image.tumourSlice
    let target = min(max(current + delta, 0), image.volume.grid.nz - 1)
    guard target != current else { return .none }
    state.slices.slice = target
    return .slices
  }

  private static func featuresToggled(_ state: inout ExplorerState) -> Effect {
    state.charts.keepCursorVisible(lines: state.layout.featureLines)
    return [.charts, .assess]
  }
}
