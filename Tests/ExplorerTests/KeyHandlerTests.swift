// Input driven through the same handler the terminal backend calls: navigation, search, sorting,
// the split filter, slice controls, feature toggles, baseline and measure, mouse, quitting.
import Testing
import Explorer
import Imaging
import Pipeline

@Suite struct KeyHandlerTests {
  @Test func vimKeysArrowsPagesAndEnds() {
    var box = Fixture.state(FakeExplorerData(patients: 100), width: 200, height: 60)
    #expect(box.state.currentPatient == 0)
    #expect(box.press(.char("j")).contains(.work))
    #expect(box.state.currentPatient == 1)
    _ = box.press(.key(.down), .key(.down))
    #expect(box.state.currentPatient == 3)
    _ = box.press(.char("k"), .key(.up))
    #expect(box.state.currentPatient == 1)
    _ = box.press(.char("G"))
    #expect(box.state.currentPatient == 99)
    #expect(box.press(.char("j")) == .none, "at the end nothing moves")
    _ = box.press(.char("g"))
    #expect(box.state.currentPatient == 0)
    _ = box.press(.key(.pageDown))
    #expect(box.state.currentPatient == box.state.layout.listRows - 1)
    _ = box.press(.key(.pageUp))
    #expect(box.state.currentPatient == 0)
  }

  @Test func patientChangeRedrawsListSlicesChartsAndReturnsToTheTumour() {
    var box = Fixture.state()
    box.runWork()
    _ = box.press(.char("]"))
    #expect(box.state.slices.slice == 3)
    let effect = box.press(.char("j"))
    #expect(effect.isSuperset(of: [.list, .slices, .charts, .work]))
    #expect(box.state.slices.slice == nil)
  }

  @Test func searchJumpsAsYouTypeAndEscGoesBack() {
    var box = Fixture.state()
    _ = box.press(.char("j"))
    _ = box.press(.char("/"), .char("0"), .char("0"), .char("7"))
    #expect(box.state.currentPatient == 6)
    #expect(box.screen.text(row: 59).contains("/007"))
    _ = box.press(.key(.escape))
    #expect(box.state.currentPatient == 1, "Esc returns to where the search began")
    #expect(box.state.search == nil)
    _ = box.press(.char("/"), .char("h"), .char("n"), .char("-"), .char("0"), .char("1"), .key(.enter))
    #expect(box.state.currentPatient == 9, "HN-01x: the first match after the selection is HN-010")
    _ = box.press(.char("n"))
    #expect(box.state.currentPatient == 10)
    _ = box.press(.char("N"), .char("N"))
    #expect(box.state.currentPatient == 11, "backward from HN-010 wraps to HN-012")
    _ = box.press(.char("/"), .char("z"), .key(.enter))
    #expect(box.screen.text(row: 59).contains("no id contains “z”"))
  }

  @Test func sortCyclesColumnsAndRiskSortsHighestFirst() {
    var box = Fixture.state()
    box.runWork()
    _ = box.press(.char("s"))
    #expect(box.state.list.sort == .label)
    #expect(box.state.list.order.prefix(4).allSatisfy { box.data.overview.patients[$0].label == 1 })
    _ = box.press(.char("s"))
    #expect(box.state.list.sort == .risk(model: 0))
    let risks = box.state.list.order.map { FakeExplorerData.risk(patient: $0, model: 0) }
    #expect(risks == risks.sorted(by: >))
    #expect(box.screen.contains("A▼"))
    _ = box.press(.char("S"))
    let reversed = box.state.list.order.map { FakeExplorerData.risk(patient: $0, model: 0) }
    #expect(reversed == reversed.sorted())
    _ = box.press(.char("s"), .char("s"), .char("s"))
    #expect(box.state.list.sort == .id)
  }

  @Test func splitFilterListsOneSplitAndTheCohortFollows() {
    var box = Fixture.state()
    box.runWork()
    _ = box.press(.char("f"))
    #expect(box.state.list.splitFilter == .train)
    #expect(box.state.list.order.allSatisfy { box.data.overview.patients[$0].split == .train })
    #expect(box.state.cohortPatients == box.state.list.order.sorted())
    #expect(box.screen.contains("cohort: train 6"))
    #expect(JobPlanner.next(box.state) != nil, "train-split cohort figures are new work")
    box.runWork()
    #expect(box.screen.contains(" train 0.80"), "the training AUC is shown next to the test AUC")
    _ = box.press(.char("f"), .char("f"))
    #expect(box.state.list.splitFilter == .test)
    #expect(box.state.list.count == 3)
    _ = box.press(.char("f"))
    #expect(box.state.list.splitFilter == nil)
    #expect(box.state.list.count == 12)
  }

  @Test func sliceControls() {
    var box = Fixture.state()
    #expect(box.press(.char("]")) == .none, "no slice moves before the image is there")
    box.runWork()
    _ = box.press(.char("]"), .char("]"), .char("]"))
    #expect(box.state.slices.slice == 4, "stops at the top slice")
    _ = box.press(.char("["), .key(.left), .char("h"))
    #expect(box.state.slices.slice == 1)
    _ = box.press(.char("t"))
    #expect(box.state.slices.slice == nil)
    #expect(box.screen.contains("(tumour centre)"))
    _ = box.press(.char("w"))
    #expect(box.state.slices.window == .bone)
    #expect(box.screen.contains("W1800/L400"))
    _ = box.press(.char("c"), .char("x"), .char("z"))
    #expect(!box.state.slices.outline && !box.state.slices.cropBox && box.state.slices.zoom)
    _ = box.press(.char("o"))
    #expect(box.state.slices.overlay == 0)
    #expect(box.screen.contains("red raises risk"))
    _ = box.press(.char("o"))
    #expect(box.state.slices.overlay == 1)
    _ = box.press(.char("o"))
    #expect(box.state.slices.overlay == nil)
    _ = box.press(.char("v"))
    #expect(box.screen.contains("A · risk 0.05 · ∇f A"))
    #expect(box.screen.contains("B · risk 0.35 · ∇f B"))
  }

  @Test func featureTogglesRedrawAtOnceFromCachedValues() throws {
    var box = Fixture.state()
    box.runWork()
    #expect(box.state.charts.enabledFeatures == [0, 2, 3])
    let effect = box.press(.char(" "))
    #expect(effect.contains(.charts) && effect.contains(.assess) && !effect.contains(.work))
    #expect(box.state.charts.enabledFeatures == [2, 3])
    #expect(box.screen.contains("[ ] 1 shape.volume"))
    _ = box.press(.char("2"))
    #expect(box.state.charts.enabledFeatures == [1, 2, 3])
    #expect(box.state.charts.cursor == 1)
    #expect(JobPlanner.next(box.state) == nil, "no new work: every feature's figures are cached")
    let row = try #require(box.screen.find("[x] 2 shape.area")).y
    #expect(box.screen.text(row: row).contains("0.100"), "bars appear at once")
    _ = box.press(.char("J"), .char("J"))
    #expect(box.state.charts.cursor == 3)
    _ = box.press(.char("K"))
    #expect(box.state.charts.cursor == 2)
    _ = box.press(.char("a"))
    #expect(box.state.charts.enabledFeatures == [0, 1, 2, 3, 4])
    _ = box.press(.char("a"))
    #expect(box.state.charts.enabledFeatures.isEmpty)
    #expect(box.press(.char("9")) == .none, "no ninth feature")
  }

  @Test func holmAdjustmentFollowsTheEnabledFeatures() throws {
    var box = Fixture.state()
    box.runWork()
    let key = box.state.cohortKey(model: 0)
    // Three features shown (p 0.001, 0.003, 0.004): the smallest is multiplied by 3.
    let adjusted = try #require(box.state.results.assessments[key]?[0]?.pAdjusted)
    #expect(abs(adjusted - 0.003) < 1e-12)
    _ = box.press(.char("3"), .char("4"))
    let alone = try #require(box.state.results.assessments[key]?[0]?.pAdjusted)
    #expect(abs(alone - 0.001) < 1e-12, "one feature shown: no adjustment")
  }

  @Test func baselineAndMeasureCycleAndRequestNewWork() {
    var box = Fixture.state()
    box.runWork()
    let effect = box.press(.char("b"))
    #expect(effect.contains(.work))
    #expect(box.state.charts.baseline == 1)
    #expect(box.screen.contains("vs smooth noise"))
    #expect(JobPlanner.next(box.state) == .figures(patients: [0], key: FigureKey(model: 0, baseline: 1, measure: 0)))
    _ = box.press(.char("m"))
    #expect(box.screen.contains("cos² vs smooth noise"))
    _ = box.press(.char("b"), .char("m"))
    #expect(box.state.charts.baseline == 0 && box.state.charts.measure == 0)
    #expect(JobPlanner.next(box.state) == nil, "back to cached figures")
  }

  @Test func mouseSelectsPatientsScrollsSlicesAndTogglesFeatures() throws {
    var box = Fixture.state()
    box.runWork()
    let list = box.state.layout.list
    _ = box.press(.mouse(.click, x: list.x + 3, y: list.y + 2 + 4))
    #expect(box.state.currentPatient == 4)
    _ = box.press(.mouse(.wheelDown, x: list.x + 3, y: list.y + 5))
    #expect(box.state.currentPatient == 7)
    box.runWork()
    let slices = box.state.layout.slices
    _ = box.press(.mouse(.wheelUp, x: slices.x + 5, y: slices.y + 5))
    #expect(box.state.slices.slice == 3)
    let row = try #require(box.screen.find("[ ] 2 shape.area"))
    _ = box.press(.mouse(.click, x: row.x + 2, y: row.y))
    #expect(box.state.charts.enabled[1])
  }

  @Test func quitKeysAndEscape() {
    var box = Fixture.state()
    #expect(box.press(.char("q")).contains(.quit))
    #expect(box.press(.key(.escape)) == .none, "Esc alone does not quit")
    _ = box.press(.char("?"))
    #expect(box.press(.key(.escape)).contains(.panes), "Esc closes help")
    #expect(!box.state.helpVisible)
    #expect(box.press(.key(.control("l"))).contains(.repaint))
  }

  @Test func controlBytesDecodeToNamedKeys() {
    #expect(InputEvent.fromCharacter("\u{1B}") == .key(.escape))
    #expect(InputEvent.fromCharacter("\r") == .key(.enter))
    #expect(InputEvent.fromCharacter("\t") == .key(.tab))
    #expect(InputEvent.fromCharacter("\u{7F}") == .key(.backspace))
    #expect(InputEvent.fromCharacter("\u{0C}") == .key(.control("l")))
    #expect(InputEvent.fromCharacter("é") == .key(.character("é")))
  }
}

@Suite struct PatientListOrderTests {
  @Test func theListStartsSortedByIDWithTheFirstRowSelected() {
    let records = ["HN-3", "HN-1", "HN-2"].map {
      PatientRecord(id: $0, label: 0, split: .test, image: "", mask: "", extra: [], line: 0)
    }
    let list = PatientList(patients: records, models: 0)
    #expect(list.order == [1, 2, 0])
    #expect(list.selectedPatient == 1)
  }
}
