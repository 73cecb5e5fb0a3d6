// The "along the flow" sparklines: the fake's flow paths are linear with known slopes (feature k
// has value (k − 2)(t − 3) + k at point t of 7, x at t = 3; feature 4 is undefined at x), so the
// glyph of every column, the reversed centre cell and the change in digits are known by hand.
import Testing
import Explorer
import Imaging
import Pipeline

@Suite struct FlowSparklineTests {
  /// The row of feature `label`'s flow line (two below its label) and the first column of model `model`'s bars.
  private func flowRow(_ box: ExplorerStateBox, _ label: String, model: Int) throws -> (x: Int, y: Int) {
    let row = try #require(box.screen.find(label)).y + 2
    let geometry = ChartPane.Geometry(inner: box.state.layout.charts.inset(1), models: 2,
                                      longestName: box.data.overview.features.map(\.name.count).max() ?? 0)
    return (geometry.modelX(model), row)
  }

  private func glyphs(_ screen: CellGrid, x: Int, y: Int, count: Int) -> String {
    String((0..<count).map { screen[x + $0, y].character })
  }

  @Test func levelsOfALinePathAreItsHandComputedHeights() {
    // 6, 4, …, −6 on 8 levels: (v + 6) / 12 · 7 = 7, 5.83, 4.67, 3.5, 2.33, 1.17, 0 → rounded.
    let falling: [Double?] = (0...6).map { Double(-2 * ($0 - 3)) }
    let columns = Sparkline.columns(falling, centre: 3, width: 20, levels: 8)
    #expect(columns.map(\.level) == [7, 6, 5, 4, 2, 1, 0])
    #expect(columns.map(\.isCentre) == [false, false, false, true, false, false, false])
    // A flat path sits at mid height; an undefined point has no level.
    #expect(Sparkline.columns([2, 2, nil, 2], centre: 2, width: 9, levels: 8).map(\.level) == [3, 3, nil, 3])
    // More points than columns: averaged in equal runs ([0,2), [2,4), [4,7)); x falls in the middle one.
    let squeezed = Sparkline.columns(falling, centre: 3, width: 3, levels: 5)
    // Means 5, 1, −4 on [−4, 5] over 5 levels: 4, (5/9)·4 = 2.22, 0.
    #expect(squeezed.map(\.level) == [4, 2, 0])
    #expect(squeezed.map(\.isCentre) == [false, true, false])
    #expect(Sparkline.columns([], centre: 0, width: 5, levels: 8).isEmpty)
    #expect(Sparkline.columns(falling, centre: 3, width: 0, levels: 8).isEmpty)
  }

  @Test func changeAlongThePathIsInPerCentOfTheValueAtX() {
    #expect(Sparkline.change([0, 1, 3, 4, 6], centre: 2) == "+200%")
    #expect(Sparkline.change([10, 10.5, 10.1], centre: 1) == "+0.95%", "0.1 / 10.5")
    #expect(Sparkline.change([10, 10.5, 10.05], centre: 1) == "+0.48%")
    #expect(Sparkline.change([2000, 2000.01, 1999.99], centre: 1) == "-0.00%", "the direction survives rounding")
    #expect(Sparkline.change([1, 1.5, 1.3], centre: 1) == "+20%")
    #expect(Sparkline.change([3, 3, 3], centre: 1) == "0.00%")
    #expect(Sparkline.change([6, 0, -6], centre: 1) == "-12.00", "value 0 at x: in the feature's units")
    #expect(Sparkline.change([-2, nil, 10], centre: 1) == "+12.00", "undefined at x: in the feature's units")
    #expect(Sparkline.change([nil, 1, 2], centre: 1) == nil)
  }

  @Test func pShowsEachEnabledFeatureAlongTheFlowOfBothModels() throws {
    var box = Fixture.state(width: 200, height: 60)
    box.runWork()
    #expect(!box.data.calls.contains { $0.hasPrefix("flow") }, "no flow work until asked for")
    let volumeLabel = try #require(box.screen.find("[x] 1 shape.volume")).y
    #expect(box.screen.text(row: volumeLabel + 2).contains("[ ] 2 shape.area"), "no flow lines yet")

    let effect = box.press(.char("p"))
    #expect(effect.contains(.work) && effect.contains(.charts))
    let pending = try flowRow(box, "[x] 1 shape.volume", model: 0)
    #expect(box.screen.text(row: pending.y).contains("flow"))
    #expect(box.screen.text(row: pending.y).contains("…"), "not computed yet")

    let jobs = box.runWork()
    #expect(jobs == [.flow(patient: 0, model: 0), .flow(patient: 0, model: 1)], "\(jobs)")
    let screen = box.screen
    for model in 0..<2 {
      // shape.volume falls with slope −2; intensity.mean is flat; texture.contrast rises with slope 1.
      let volume = try flowRow(box, "[x] 1 shape.volume", model: model)
      #expect(glyphs(screen, x: volume.x, y: volume.y, count: 8) == "█▇▆▅▃▂▁ ")
      #expect(screen[volume.x + 3, volume.y].reverse, "x itself in reverse video")
      #expect(!screen[volume.x + 2, volume.y].reverse && !screen[volume.x + 4, volume.y].reverse)
      let mean = try flowRow(box, "[x] 3 intensity.mean", model: model)
      #expect(glyphs(screen, x: mean.x, y: mean.y, count: 7) == "▄▄▄▄▄▄▄")
      let contrast = try flowRow(box, "[x] 4 texture.contrast", model: model)
      #expect(glyphs(screen, x: contrast.x, y: contrast.y, count: 7) == "▁▂▃▅▆▇█")
    }
    let volumeRow = screen.text(row: try flowRow(box, "[x] 1 shape.volume", model: 0).y)
    #expect(volumeRow.contains("-12.00"), "value 0 at x: the change in units \(volumeRow)")
    #expect(screen.text(row: try flowRow(box, "[x] 4 texture.contrast", model: 0).y).contains("+200%"))
    #expect(screen.text(row: try flowRow(box, "[x] 3 intensity.mean", model: 0).y).contains("0.00%"))

    // A feature undefined at x has a gap there; disabled features take no flow line.
    _ = box.press(.char("5"))
    let position = try flowRow(box, "[x] 5 position.x", model: 0)
    #expect(glyphs(box.screen, x: position.x, y: position.y, count: 7) == "▁▂▃ ▆▇█")
    #expect(box.screen[position.x + 3, position.y].reverse)
    let shapeArea = try #require(box.screen.find("[ ] 2 shape.area")).y
    #expect(box.screen.text(row: shapeArea + 1).contains("[x] 3 intensity.mean"))

    _ = box.press(.char("p"))
    #expect(!box.screen.text(row: position.y).contains("flow"), "sparklines off again")
    #expect(box.runWork().isEmpty, "nothing left to compute")
  }

  @Test func asciiSparklinesUseFiveLevels() throws {
    var box = Fixture.state(width: 200, height: 60, profile: TerminalProfile(unicode: false, colors: .none),
                            renderMode: .ascii)
    _ = box.press(.char("p"))
    box.runWork()
    let screen = box.screen
    for cell in screen.cells { #expect(cell.character.isASCII, "non-ASCII \(cell.character)") }
    // 6 … −6 on 5 levels: (v + 6) / 12 · 4 = 4, 3.33, 2.67, 2, 1.33, 0.67, 0 → ^==-.._
    let volume = try flowRow(box, "[x] 1 shape.volume", model: 0)
    #expect(glyphs(screen, x: volume.x, y: volume.y, count: 7) == "^==-.._")
    #expect(screen[volume.x + 3, volume.y].reverse, "x marked in reverse video without colour too")
    let contrast = try flowRow(box, "[x] 4 texture.contrast", model: 1)
    #expect(glyphs(screen, x: contrast.x, y: contrast.y, count: 7) == "_..-==^")
  }

  @Test func flowWorkFollowsThePatientAndStaleWorkIsCancelled() {
    var box = Fixture.state(width: 200, height: 60)
    box.runWork()
    _ = box.press(.char("p"))
    #expect(JobPlanner.next(box.state) == .flow(patient: 0, model: 0))
    let running = Job.flow(patient: 0, model: 0)
    #expect(!JobPlanner.shouldCancel(running, state: box.state))
    _ = box.press(.char("j"))
    #expect(JobPlanner.shouldCancel(running, state: box.state), "the patient changed")
    // The new patient's flow paths come before the next neighbour's image and all cohort work.
    let jobs = box.runWork()
    let flows = [Job.flow(patient: 1, model: 0), .flow(patient: 1, model: 1)].compactMap { jobs.firstIndex(of: $0) }
    #expect(flows.count == 2, "\(jobs)")
    if let neighbour = jobs.firstIndex(of: .image(patient: 2)) { #expect(flows.allSatisfy { $0 < neighbour }, "\(jobs)") }
    #expect(!jobs.contains(.flow(patient: 0, model: 0)), "the old patient's path is not asked for again")
    _ = box.press(.char("p"))
    #expect(JobPlanner.shouldCancel(.flow(patient: 1, model: 0), state: box.state), "sparklines hidden")
    // A cancelled flow job reports nothing to store.
    let cancel = CancelFlag()
    cancel.cancel()
    if case .cancelled = Job.flow(patient: 1, model: 0).run(box.data, cancel: cancel) {} else {
      Issue.record("a cancelled flow job must come back as .cancelled")
    }
  }

  @Test func keyIsInTheHelpAndTheStatusHints() {
    var box = Fixture.state(width: 200, height: 60)
    #expect(box.screen.text(row: 59).contains("p flow"))
    _ = box.press(.char("?"))
    #expect(box.screen.contains("flow path sparklines"))
  }

  @Test func clickingAFeatureStillFindsItWithThreeLinesPerFeature() throws {
    var box = Fixture.state(width: 200, height: 60)
    _ = box.press(.char("p"))
    let row = try #require(box.screen.find("[x] 3 intensity.mean"))
    _ = box.press(.mouse(.click, x: row.x + 2, y: row.y + 2))
    #expect(!box.state.charts.enabled[2], "a click on the flow line toggles its feature")
  }
}
