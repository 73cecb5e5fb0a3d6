// The slice pane through Imaging's renderer: GTV outline cells exactly at the mask's edge, the
// overlay and crop box, side by side, zoom, and every render mode fitting the terminal.
import Testing
import Explorer
import Imaging
import Pipeline

@Suite struct SlicePaneTests {
  /// The 256-colour index the renderer draws the outline with.
  static let outline = TerminalColor.indexed(RenderPalette.color256(RenderPalette.outline))

  @Test func outlineCellsLieExactlyOnTheMaskEdge() throws {
    let data = FakeExplorerData()
    let image = try data.image(of: 0)
    var view = SliceViewState()
    view.cropBox = false
    let n = FakeExplorerData.side
    // One cell column per voxel column and two voxel rows per cell (half-blocks): pixel = voxel.
    let rows = SliceImage.render(image: image, z: 2, view: view, overlay: nil, width: n, height: n / 2, mode: .grey256)
    #expect(rows.count == n / 2 && rows.allSatisfy { $0.count == n })
    var edges = 0
    for y in 0..<n {
      for x in 0..<n {
        let inside = image.mask[x, y, 2] != 0
        let edge = inside && [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)].contains { nx, ny in
          nx < 0 || ny < 0 || nx >= n || ny >= n || image.mask[nx, ny, 2] == 0
        }
        let cell = rows[y / 2][x]
        let colour = y % 2 == 0 ? cell.foreground : cell.background
        #expect((colour == Self.outline) == edge, "voxel \(x),\(y): edge \(edge)")
        if edge { edges += 1 }
      }
    }
    #expect(edges > 8)
    view.outline = false
    let plain = SliceImage.render(image: image, z: 2, view: view, overlay: nil, width: n, height: n / 2, mode: .grey256)
    #expect(!plain.joined().contains { $0.foreground == Self.outline || $0.background == Self.outline })
  }

  @Test func outlineKeyTogglesTheOutlineOnScreen() {
    var box = Fixture.state()
    box.runWork()
    func outlined(_ grid: CellGrid) -> Int { grid.cells.filter { $0.foreground == Self.outline || $0.background == Self.outline }.count }
    #expect(outlined(box.screen) > 0)
    _ = box.press(.char("c"))
    #expect(outlined(box.screen) == 0)
  }

  @Test func overlayColoursTheCropOnlyOnItsSlices() {
    var box = Fixture.state()
    box.runWork()
    let plain = box.screen
    _ = box.press(.char("o"))
    let withOverlay = box.screen
    let slices = box.state.layout.slices
    var changed = 0
    for y in slices.y..<slices.maxY { for x in slices.x..<slices.maxX where plain[x, y] != withOverlay[x, y] { changed += 1 } }
    #expect(changed > 100, "∇f A colours the slice")
    _ = box.press(.char("]"), .char("]"))  // slice 5: outside the crop's slices 2–4
    #expect(box.screen.contains("only on the crop's slices 2-4"))
  }

  @Test func sideBySideDrawsTwoPictures() {
    var box = Fixture.state()
    box.runWork()
    _ = box.press(.char("v"))
    let screen = box.screen
    let a = screen.find("A · risk"), b = screen.find("B · risk")
    #expect(a != nil && b != nil)
    if let a, let b { #expect(a.y == b.y && b.x > a.x + 20) }
  }

  @Test func zoomShowsTheCropLarger() throws {
    let data = FakeExplorerData()
    var image = try data.image(of: 0)
    image.cropBox = CropBox(x0: 8, y0: 8, x1: 15, y1: 15, slices: 1...3)
    var view = SliceViewState()
    let full = SliceImage.render(image: image, z: 2, view: view, overlay: nil, width: 48, height: 24, mode: .grey256)
    view.zoom = true
    let zoomed = SliceImage.render(image: image, z: 2, view: view, overlay: nil, width: 48, height: 24, mode: .grey256)
    func outlineCells(_ rows: [[Cell]]) -> Int { rows.joined().filter { $0.foreground == Self.outline || $0.background == Self.outline }.count }
    #expect(outlineCells(zoomed) > 2 * outlineCells(full), "the tumour fills more of the picture")
  }

  @Test func everyModeFitsTheTerminal() {
    let direct = TerminalProfile(unicode: true, colors: .direct)
    let colour256 = TerminalProfile(unicode: true, colors: .palette256)
    let sixteen = TerminalProfile(unicode: true, colors: .sixteen)
    let eight = TerminalProfile(unicode: true, colors: .eight)
    let cLocale = TerminalProfile(unicode: false, colors: .palette256)
    let noColour = TerminalProfile(unicode: true, colors: .none)
    #expect(RenderChoice.fit(.truecolor, to: direct) == .truecolor)
    #expect(RenderChoice.fit(.truecolor, to: colour256) == .grey256)
    #expect(RenderChoice.fit(.grey256, to: sixteen) == .shade16)
    #expect(RenderChoice.fit(.shade16, to: eight) == .shade8)
    #expect(RenderChoice.fit(.truecolor, to: cLocale) == .greyBlanks)
    #expect(RenderChoice.fit(.ascii, to: cLocale) == .ascii)
    #expect(RenderChoice.fit(.grey256, to: TerminalProfile(unicode: false, colors: .eight)) == .ascii)
    #expect(RenderChoice.fit(.truecolor, to: noColour) == .ascii)
    let options = ExplorerOptions(render: .truecolor, environment: ["TERM": "screen-256color", "LANG": "C.UTF-8"])
    let (mode, notice) = RenderChoice.resolve(options: options, profile: colour256)
    #expect(mode == .grey256)
    #expect(notice?.contains("--render truecolor") == true)
    #expect(RenderChoice.wantsDirectColor(ExplorerOptions(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"])))
    #expect(!RenderChoice.wantsDirectColor(ExplorerOptions(environment: ["TERM": "screen-256color", "LANG": "C.UTF-8"])))
  }

  @Test func asciiSlicesInTheASCIIProfile() {
    var box = Fixture.state(profile: TerminalProfile(unicode: false, colors: .none), renderMode: .ascii)
    box.runWork()
    let slices = box.state.layout.slices
    let screen = box.screen
    var ramp = 0
    for y in slices.y + 2..<slices.maxY - 2 {
      for x in slices.x + 1..<slices.maxX - 1 where "=+*#%@".contains(screen[x, y].character) { ramp += 1 }
    }
    #expect(ramp > 100, "the CT is drawn with the ASCII ramp")
  }
}
