// The backend's pure pieces: colour mapping for each depth, the colour-pair table, number
// formatting, text made safe for one column per character, and the direct-colour terminfo entry.
import Testing
import Foundation
import Explorer
import Imaging

@Suite struct TerminalPiecesTests {
  @Test func colourMappingPerDepth() {
    let grey = TerminalColor.rgb(128, 128, 128)
    #expect(ColorMapper(depth: .none).number(grey) == -1)
    #expect(ColorMapper(depth: .direct).number(grey) == 0x808080)
    #expect(ColorMapper(depth: .direct).number(.rgb(0, 0, 3)) == 8, "never an ANSI colour by accident")
    #expect(ColorMapper(depth: .direct).number(.indexed(3)) == 3)
    #expect(ColorMapper(depth: .direct).number(.indexed(196)) == 0xFF0000)
    #expect(ColorMapper(depth: .palette256).number(.indexed(200)) == 200)
    #expect(ColorMapper(depth: .palette256).number(.rgb(255, 0, 0)) == 196)
    #expect(ColorMapper(depth: .sixteen).number(.indexed(196)) == 9)
    #expect(ColorMapper(depth: .eight).number(.indexed(196)) == 1)
    #expect(ColorMapper(depth: .eight).number(.indexed(12)) == 4, "bright blue → blue")
    #expect(ColorMapper(depth: .palette256).number(.standard) == -1)
  }

  @Test func greysMapToTheRampOrCubeNeverToThePalette() {
    for level in stride(from: 0, through: 255, by: 5) {
      let v = UInt8(level)
      let index = ColorMapper.nearest256((v, v, v))
      #expect(index >= 16, "grey \(level) → \(index)")
      let (r, g, b) = ColorMapper.rgb(ofIndex: UInt8(index))
      #expect(abs(Int(r) - level) <= 13 && r == g && g == b)
    }
  }

  @Test func pairTableReusesAndReportsExhaustion() {
    var table = PairTable(limit: 3)
    var defined: [Int32] = []
    let define: (Int32, Int32, Int32) -> Void = { number, _, _ in defined.append(number) }
    #expect(table.pair(foreground: -1, background: -1, define: define) == 0)
    #expect(table.pair(foreground: 1, background: -1, define: define) == 1)
    #expect(table.pair(foreground: 1, background: -1, define: define) == 1)
    #expect(table.pair(foreground: 2, background: 3, define: define) == 2)
    #expect(table.pair(foreground: 4, background: 3, define: define) == nil)
    table.reset()
    #expect(table.pair(foreground: 4, background: 3, define: define) == 1)
    #expect(defined == [1, 2, 1])
  }

  @Test func numberFormats() {
    #expect(Format.fixed(0.41234, digits: 3) == "0.412")
    #expect(Format.fixed(0.0996, digits: 2) == "0.10")
    #expect(Format.fixed(-0.25, digits: 1) == "-0.3" || Format.fixed(-0.25, digits: 1) == "-0.2")
    #expect(Format.fixed(-0.0001, digits: 2) == "0.00")
    #expect(Format.fixed(.nan, digits: 2) == "nan")
    #expect(Format.pValue(0.0321) == "0.032")
    #expect(Format.pValue(2.2e-5) == "2e-05")
    #expect(Format.pValue(9.7e-5) == "1e-04")
    #expect(Format.pValue(1e-120) == "<1e-99")
    #expect(Format.general(12345.6) == "12346")
    #expect(Format.general(123456) == "1.23e+05")
    #expect(Format.general(0.00123) == "1.23e-03")
    #expect(Format.general(3.14159) == "3.142")
  }

  @Test func barScalesAreRound() {
    #expect(Bar.niceScale(0.33) == 0.5)
    #expect(Bar.niceScale(0.21) == 0.25)
    #expect(Bar.niceScale(0.15) == 0.2)
    #expect(Bar.niceScale(0.07) == 0.1)
    #expect(Bar.niceScale(1) == 1)
    #expect(Bar.niceScale(0) == 0.01)
    #expect(Bar.steps(0.5, scale: 1, width: 10, glyphs: .unicode) == 40)
    #expect(Bar.steps(2, scale: 1, width: 10, glyphs: .unicode) == 80, "clamped to the width")
    #expect(Bar.steps(0.5, scale: 1, width: 10, glyphs: .ascii) == 5)
  }

  @Test func displayTextKeepsOneColumnPerCharacter() {
    #expect(DisplayText.safe("a", ascii: false) == "a")
    #expect(DisplayText.safe("é", ascii: false) == "é")
    #expect(DisplayText.safe("é", ascii: true) == "?")
    #expect(DisplayText.safe("患", ascii: false) == "?")
    #expect(DisplayText.safe("\u{7}", ascii: false) == "?")
    #expect(DisplayText.safe("🙂", ascii: false) == "?")
    #expect(DisplayText.fit("HN-PATIENT-0001", 8) == "HN-PATI…")
    #expect(DisplayText.fit("ab", 4, alignRight: true) == "  ab")
    var grid = CellGrid(width: 6, height: 1)
    grid.put("a\u{1B}[2Jb", x: 0, y: 0)
    #expect(grid.text(row: 0) == "a?[2Jb", "escape sequences from files are never sent to the terminal")
  }

  @Test func directColourEntryCompilesWithTic() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tic") else {
      print("skipped: no tic on this machine"); return
    }
    let directory = NSTemporaryDirectory() + "fgf-terminfo-test-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    #expect(DirectColorTerminfo.compile(name: "fgf-direct-xterm-256color", base: "xterm-256color", into: directory))
    let infocmp = Process()
    infocmp.executableURL = URL(fileURLWithPath: "/usr/bin/infocmp")
    infocmp.arguments = ["-x", "-A", directory, "fgf-direct-xterm-256color"]
    let out = Pipe()
    infocmp.standardOutput = out
    try infocmp.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    infocmp.waitUntilExit()
    #expect(text.contains("RGB"))
    #expect(text.contains("colors#0x1000000"))
    #expect(text.contains("38;2;"))
    #expect(text.contains("smcup"), "the rest comes from xterm-256color")
  }
}
