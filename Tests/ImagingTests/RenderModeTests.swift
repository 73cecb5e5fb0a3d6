// Tests of each render mode's glyphs and colours, the 256-colour palette (never 0–15), ordered
// dithering, the ASCII fallback, mode detection from the environment, windows and ANSI text.
import Testing
import Imaging

@Suite struct RenderModeTests {
  /// A slice whose columns ramp from −200 HU to 300 HU (beyond the soft window at both ends), with a
  /// small GTV, a crop box and an overlay, so every kind of pixel appears.
  static func rampRequest(mode: RenderMode, width: Int = 40) -> SliceRenderRequest {
    let nx = 40, ny = 20
    let rows = (0..<ny).map { _ in (0..<nx).map { Float(-200 + 500 * $0 / (nx - 1)) } }
    let volume = handBuiltVolume(rows)
    let mask = handBuiltMask(volume.grid) { x, y in (5...12).contains(x) && (5...12).contains(y) }
    var overlay = [Float](repeating: .nan, count: nx * ny)
    for y in 14..<20 { for x in 20..<40 { overlay[y * nx + x] = x < 30 ? -2 : 2 } }
    return SliceRenderRequest(image: volume, z: 1, mask: mask, width: width, mode: mode,
                              cropBox: VoxelRect(x0: 15, y0: 2, x1: 35, y1: 12), overlay: overlay)
  }

  @Test func grey256NeverUsesPaletteColoursZeroToFifteen() {
    var seen = Set<UInt8>()
    for mode in [RenderMode.grey256, .greyBlanks] {
      for cell in SliceRenderer.render(Self.rampRequest(mode: mode)).joined() {
        for colour in [cell.foreground, cell.background] {
          if case .indexed(let n) = colour { seen.insert(n) } else if mode == .grey256 || colour != .standard {
            Issue.record("unexpected colour \(colour) in \(mode)")
          }
        }
        if mode == .grey256 { #expect(cell.character == "▀") } else { #expect(cell.character == " ") }
      }
    }
    #expect(!seen.isEmpty && seen.allSatisfy { $0 >= 16 })
    // Every grey and every colour maps to 16…255, greys monotonically.
    var previous = -1
    for k in 0...255 {
      let index = RenderPalette.grey256(Float(k) / 255)
      #expect(index >= 16)
      let value = RenderPalette.value(ofGrey256: index) ?? -1
      #expect(value >= previous && abs(value - k) <= 9)   // widest gap: 238 … 255
      previous = value
    }
    for r in stride(from: 0, through: 255, by: 15) {
      for g in stride(from: 0, through: 255, by: 51) {
        #expect(RenderPalette.color256(RGB(Float(r) / 255, Float(g) / 255, 0.3)) >= 16)
      }
    }
    #expect(RenderPalette.grey256(0) == 16 && RenderPalette.grey256(1) == 231)
  }

  @Test func shade16UsesShadeGlyphsOverTheFourGreys() {
    let cells = SliceRenderer.render(Self.rampRequest(mode: .shade16))
    #expect(cells.count == 10)                  // 40 × 20 voxels at 1 mm, cells 1:2
    let greys: Set<TerminalColor> = Set(RenderPalette.greys16.map { .indexed($0) })
    var outline = 0, box = 0, red = 0, blue = 0
    for cell in cells.joined() {
      #expect(RenderPalette.shades.contains(cell.character))
      switch cell.foreground {
      case .indexed(10): outline += 1
      case .indexed(11): box += 1
      case .indexed(9): red += 1; #expect(greys.contains(cell.background))
      case .indexed(12): blue += 1; #expect(greys.contains(cell.background))
      default: #expect(greys.contains(cell.foreground) && greys.contains(cell.background))
      }
    }
    #expect(outline > 0 && box > 0 && red > 0 && blue > 0)
    // Below the window: black; above it: full white.
    #expect(cells[0][0] == Cell(" ", foreground: .indexed(8), background: .indexed(0)))
    #expect(cells[0][39] == Cell("█", foreground: .indexed(15), background: .indexed(7)))
  }

  @Test func orderedDitheringAveragesToTheGrey() {
    // A uniform grey of 6.5/12: over any 4 × 4 block of cells half round up to level 7, half down to 6.
    let hu = Float(6.5 / 12 * 400 - 160)
    let volume = handBuiltVolume([[Float]](repeating: [Float](repeating: hu, count: 8), count: 8))
    let cells = SliceRenderer.render(SliceRenderRequest(image: volume, z: 1, width: 8, mode: .shade16))
    #expect(cells.count == 4)
    func level(_ cell: Cell) -> Int {
      let coverage = RenderPalette.shades.firstIndex(of: cell.character) ?? -100
      guard case .indexed(let bg) = cell.background, let lower = RenderPalette.greys16.firstIndex(of: bg) else { return -100 }
      return 4 * lower + coverage
    }
    let levels = cells.joined().prefix(32).map(level)
    #expect(Set(levels) == [6, 7])
    let block = (0..<4).flatMap { row in (0..<4).map { level(cells[row][$0]) } }
    #expect(block.reduce(0, +) == 16 * 6 + 8)
    // 8 colours: black and white only.
    for cell in SliceRenderer.render(Self.rampRequest(mode: .shade8)).joined() {
      for colour in [cell.foreground, cell.background] {
        guard case .indexed(let n) = colour else { Issue.record("\(colour)"); continue }
        #expect(n < 8)
      }
    }
  }

  @Test func asciiFallbackIsPlainCharacters() {
    let cells = SliceRenderer.render(Self.rampRequest(mode: .ascii))
    let allowed = Set(RenderPalette.asciiRamp + [RenderPalette.asciiOutline, RenderPalette.asciiCropBox,
                                                 RenderPalette.asciiPositive, RenderPalette.asciiNegative])
    for cell in cells.joined() {
      #expect(allowed.contains(cell.character) && cell.character.isASCII)
      #expect(cell.foreground == .standard && cell.background == .standard)
    }
    #expect(cells[0][0].character == " " && cells[0][39].character == "@")
    let text = ANSIText.encode(cells, mode: .ascii)
    #expect(!text.contains("\u{1B}") && text.split(separator: "\n").count == 10)
    #expect(text.contains("O") && text.contains("x") && text.contains(">") && text.contains("<"))
    // Grey-background blanks are ASCII too.
    #expect(SliceRenderer.render(Self.rampRequest(mode: .greyBlanks)).joined().allSatisfy { $0.character == " " })
  }

  @Test func detectionFollowsTheEnvironment() {
    let utf8 = ["LANG": "en_US.UTF-8"]
    func detect(_ extra: [String: String], base: [String: String] = utf8) -> RenderMode {
      RenderMode.detect(environment: base.merging(extra) { $1 })
    }
    #expect(detect(["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == .truecolor)
    #expect(detect(["TERM": "xterm", "COLORTERM": "24bit"]) == .truecolor)
    #expect(detect(["TERM": "xterm-direct"]) == .truecolor)
    #expect(detect(["TERM": "screen-256color"]) == .grey256)
    #expect(detect(["TERM": "xterm"]) == .shade16)
    #expect(detect(["TERM": "linux"]) == .shade16)
    #expect(detect(["TERM": "dumb"]) == .ascii)
    #expect(detect(["TERM": "vt100"]) == .ascii)
    #expect(detect([:]) == .ascii)
    #expect(detect(["TERM": "xterm-256color", "NO_COLOR": "1"]) == .ascii)
    #expect(detect(["TERM": "xterm-256color", "NO_COLOR": ""]) == .grey256)
    #expect(detect(["TERM": "xterm-256color"], base: ["LANG": "C"]) == .greyBlanks)
    #expect(detect(["TERM": "xterm"], base: ["LANG": "C"]) == .ascii)
    #expect(detect(["TERM": "xterm-256color"], base: [:]) == .greyBlanks)
    // LC_ALL overrides LC_CTYPE overrides LANG.
    #expect(detect(["TERM": "xterm-256color", "LC_ALL": "C"]) == .greyBlanks)
    #expect(detect(["TERM": "xterm-256color", "LC_CTYPE": "de_DE.utf8"], base: ["LANG": "C"]) == .grey256)
    #expect(RenderMode(parsing: "256") == .grey256 && RenderMode(parsing: "ascii") == .ascii)
    #expect(RenderMode(parsing: "16") == .shade16 && RenderMode(parsing: "TrueColor") == .truecolor)
    #expect(RenderMode(parsing: "bogus") == nil)
  }

  @Test func windowsMapHUToGrey() {
    #expect(WindowPreset.soft.grey(-160) == 0 && WindowPreset.soft.grey(240) == 1 && WindowPreset.soft.grey(40) == 0.5)
    #expect(WindowPreset.bone.grey(400) == 0.5 && WindowPreset.lung.grey(-600) == 0.5)
    #expect(WindowPreset.soft.grey(-5000) == 0 && WindowPreset.soft.grey(5000) == 1)
    #expect(WindowPreset(parsing: "soft") == .soft && WindowPreset(parsing: "BONE") == .bone)
    #expect(WindowPreset(parsing: "lung") == .lung)
    #expect(WindowPreset(parsing: "350/50") == .custom(width: 350, level: 50))
    #expect(WindowPreset(parsing: "W1500/L-600") == .custom(width: 1500, level: -600))
    #expect(WindowPreset(parsing: "0/40") == nil && WindowPreset(parsing: "abc") == nil && WindowPreset(parsing: "4/") == nil)
    #expect(WindowPreset.soft.description == "soft (W400/L40)")
    #expect(WindowPreset.custom(width: 350, level: 50).description == "W350/L50")
  }

  @Test func ansiTextEmitsSGROnChangesAndResetsLines() {
    let row = [Cell("▀", foreground: .rgb(1, 2, 3), background: .indexed(240)),
               Cell("▀", foreground: .rgb(1, 2, 3), background: .indexed(240)),
               Cell("█", foreground: .indexed(9), background: .indexed(0)),
               Cell("a", bold: true)]
    let text = ANSIText.encode([row, [Cell("b")]], mode: .truecolor)
    #expect(text == "\u{1B}[0;38;2;1;2;3;48;5;240m▀▀\u{1B}[0;91;40m█\u{1B}[0;1ma\u{1B}[0m\n"
                  + "\u{1B}[0mb\u{1B}[0m\n")
    #expect(ANSIText.encode([row], mode: .ascii) == "▀▀█a\n")
  }
}
