// Screens rendered into the cell grid at several sizes: pane titles, layouts, bars proportional to
// their values, the ASCII fallback, the help overlay and the "too small" screen.
import Testing
import Explorer
import Imaging
import Pipeline

@Suite struct ScreenTests {
  @Test func wideScreenShowsThreePanesSideBySide() {
    var box = Fixture.state(width: 200, height: 60)
    box.runWork()
    let screen = box.screen
    let list = screen.find("Patients"), slice = screen.find("HN-001"), charts = screen.find("Alignment")
    #expect(list != nil && slice != nil && charts != nil)
    if let list, let charts { #expect(list.y == 1 && charts.y == 1 && list.x < charts.x) }
    #expect(screen.contains("fgf · fake · 12 patients"))
    #expect(screen.contains("? help"))
    #expect(screen.contains("slice 3 of 5 (tumour centre)"))
    #expect(!screen.contains("Tab"), "no pane switching at 200 columns")
  }

  @Test func narrowScreenSharesOnePaneSwitchedWithTab() {
    var box = Fixture.state(width: 100, height: 30)
    box.runWork()
    #expect(box.screen.contains("slice 3 of 5"))
    #expect(!box.screen.contains("Alignment"))
    #expect(box.screen.contains("Tab charts"))
    _ = box.press(.key(.tab))
    #expect(box.screen.contains("Alignment"))
    #expect(!box.screen.contains("slice 3 of 5"))
    _ = box.press(.key(.tab))
    #expect(box.screen.contains("slice 3 of 5"))
  }

  @Test func smallestUsableSizeStillShowsEverything() {
    var box = Fixture.state(width: 80, height: 24)
    box.runWork()
    #expect(box.screen.contains("Patients"))
    #expect(box.screen.contains("HN-001"))
    _ = box.press(.key(.tab))
    #expect(box.screen.contains("x1 s.volume"), "compact checklist labels")
    #expect(box.screen.contains("AUC 0.80 r 0.05"), "compact heading")
  }

  @Test func tooSmallScreenSaysSoAndStillQuits() {
    var box = Fixture.state(width: 60, height: 20)
    #expect(box.screen.contains("Terminal too small: 60×20"))
    #expect(box.screen.contains("at least 80×24"))
    #expect(box.press(.char("j")) == .none)
    #expect(box.press(.char("q")).contains(.quit))
    _ = box.press(.resize(width: 120, height: 40))
    #expect(box.screen.contains("Patients"))
  }

  @Test func resizeKeepsTheSelectionVisible() {
    var box = Fixture.state(FakeExplorerData(patients: 80), width: 200, height: 60)
    _ = box.press(.key(.end))
    #expect(box.screen.contains("▶HN-080"))
    _ = box.press(.resize(width: 80, height: 24))
    #expect(box.screen.contains("▶HN-080"))
  }

  @Test func barLengthIsProportionalToItsValue() throws {
    var box = Fixture.state(width: 200, height: 60)
    box.runWork()
    let screen = box.screen
    let scale = ChartPane.scale(box.state)
    let layout = box.state.layout
    let geometry = ChartPane.Geometry(inner: layout.charts.inset(1), models: 2,
                                      longestName: box.data.overview.features.map(\.name.count).max() ?? 0)
    let glyphs = Glyphs.unicode
    var measured: [Int: Int] = [:]
    for (feature, label) in [(0, "[x] 1 shape.volume"), (2, "[x] 3 intensity.mean")] {
      let row = try #require(screen.find(label)).y
      let key = box.state.figureKey(model: 0)
      let value = try #require(FakeExplorerData.alignment(patient: 0, feature: feature, key: key))
      let steps = Bar.steps(value, scale: scale, width: geometry.barWidth, glyphs: glyphs)
      let x0 = geometry.modelX(0)
      let markerColumn = Bar.column(FakeExplorerData.noise(key: key), scale: scale, width: geometry.barWidth)
      for column in 0..<(steps / 8) where column != markerColumn {
        #expect(screen[x0 + column, row].character == "█", "full cell \(column) of feature \(feature)")
      }
      if steps % 8 > 0 { #expect(screen[x0 + steps / 8, row].character == glyphs.eighths[steps % 8]) }
      #expect(screen[x0 + steps / 8 + 1, row].character == " ", "bar ends")
      #expect(screen[x0 + markerColumn, row].character == glyphs.marker, "noise marker")
      measured[feature] = steps
      #expect(screen.text(row: row).contains(Format.fixed(value, digits: 3)), "value in digits")
    }
    // 0.15 is three times 0.05: its bar is three times as long (within one eighth-cell step).
    let short = try #require(measured[0]), long = try #require(measured[2])
    #expect(abs(long - 3 * short) <= 1, "steps \(short) and \(long)")
  }

  @Test func cohortBarsFillInWithWhiskerAndSignificance() throws {
    var box = Fixture.state(width: 200, height: 60)
    let row = try #require(box.screen.find("[x] 1 shape.volume")).y
    #expect(box.screen.text(row: row + 1).contains("…"), "cohort not computed yet")
    box.runWork()
    let text = box.screen.text(row: row + 1)
    #expect(text.contains("cohort"))
    #expect(text.contains("├") && text.contains("┤"), "CI whisker")
    #expect(text.contains("*"), "shape.volume is significant in the fake data")
    #expect(box.screen.contains("AUC test 0.80"))
    #expect(box.screen.contains("AUC test 0.85"))
  }

  @Test func asciiFallbackUsesOnlyASCII() {
    var box = Fixture.state(width: 200, height: 60, profile: TerminalProfile(unicode: false, colors: .none),
                            renderMode: .ascii)
    box.runWork()
    _ = box.press(.key(.character("?")))
    for screen in [box.screen] {
      for cell in screen.cells { #expect(cell.character.isASCII, "non-ASCII \(cell.character)") }
    }
    _ = box.press(.key(.escape))
    let screen = box.screen
    for cell in screen.cells { #expect(cell.character.isASCII) }
    #expect(screen.contains("+-"))
    #expect(screen.contains("#"), "bars in #")
    #expect(screen.contains(">HN-001"))
    #expect(screen.cells.allSatisfy { $0.foreground == .standard && $0.background == .standard })
  }

  @Test func helpOverlayOpensAndAnyKeyClosesIt() {
    var box = Fixture.state(width: 80, height: 24)
    #expect(box.press(.char("?")).contains(.slices))
    let screen = box.screen
    #expect(screen.contains("Help"))
    #expect(screen.contains("split: all/train/val/test"))
    #expect(screen.contains("help / quit"), "the last line fits at 80×24")
    _ = box.press(.char("x"))
    #expect(!box.screen.contains("Help"))
    #expect(box.state.slices.cropBox, "the closing key does nothing else")
  }

  @Test func brokenPatientShowsItsProblem() {
    var box = Fixture.state(FakeExplorerData(brokenImages: [0]), width: 200, height: 60)
    box.runWork()
    #expect(box.screen.contains("Cannot show this patient"))
    #expect(box.screen.contains("image.nii.gz: byte 352: truncated"))
    _ = box.press(.char("j"))
    #expect(box.screen.contains("slice 3 of 5"))
  }

  @Test func undefinedFiguresAreShownAsSuch() {
    var box = Fixture.state(width: 200, height: 60)
    box.runWork()
    _ = box.press(.char("j"), .char("5"))  // patient 1, enable position.x (undefined for patient 1)
    let screen = box.screen
    guard let row = screen.find("[x] 5 position.x")?.y else { Issue.record("position.x row"); return }
    #expect(screen.text(row: row).contains("undef"))
    #expect(screen.contains("patient undefined (zero gradient)"))
    #expect(screen.contains("n 11, 1 undefined"))
  }

  @Test func statusLineShowsProgressWhileWorking() {
    var box = Fixture.state(width: 200, height: 60)
    box.runWork(limit: 6)
    let status = box.screen.text(row: 59)
    #expect(status.contains("cohort figures"))
    #expect(status.contains("%"))
    box.runWork()
    #expect(!box.screen.text(row: 59).contains("%"))
  }

  @Test func noModelsStillShowsTheChecklist() {
    var box = Fixture.state(FakeExplorerData(models: 0), width: 200, height: 60)
    box.runWork()
    #expect(box.screen.contains("No models"))
    #expect(box.screen.contains("[x] 1 shape.volume"))
    #expect(box.screen.contains("no models"))
  }
}
