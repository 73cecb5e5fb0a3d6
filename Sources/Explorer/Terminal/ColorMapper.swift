// ColorMapper: turns a cell's colours into the colour numbers the terminal has: RGB for direct
// colour terminals, the nearest palette entry for 256, 16 and 8 colours (256-colour choices from
// the cube and grey ramp, never 0–15, which terminal themes redefine), default (−1) otherwise.

import Imaging

package struct ColorMapper: Sendable {
  package let depth: ColorDepth
  package init(depth: ColorDepth) { self.depth = depth }

  /// The terminal colour number of `color` (−1: the terminal's default).
  package func number(_ color: TerminalColor) -> Int32 {
    switch (color, depth) {
    case (_, .none), (.standard, _): return -1
    case (.indexed(let n), .direct):
      return n < 8 ? Int32(n) : Self.directValue(Self.rgb(ofIndex: n))
    case (.indexed(let n), .palette256): return Int32(n)
    case (.indexed(let n), .sixteen): return n < 16 ? Int32(n) : Int32(Self.nearest(Self.rgb(ofIndex: n), among: 0..<16))
    case (.indexed(let n), .eight):
      return n < 8 ? Int32(n) : Int32(Self.nearest(Self.rgb(ofIndex: n), among: 0..<8))
    case (.rgb(let r, let g, let b), .direct): return Self.directValue((r, g, b))
    case (.rgb(let r, let g, let b), .palette256): return Int32(Self.nearest256((r, g, b)))
    case (.rgb(let r, let g, let b), .sixteen): return Int32(Self.nearest((r, g, b), among: 0..<16))
    case (.rgb(let r, let g, let b), .eight): return Int32(Self.nearest((r, g, b), among: 0..<8))
    }
  }

  /// A direct-colour number: 0xRRGGBB; values below 8 mean ANSI colours there, so near-black
  /// becomes 8 (#000008), which no eye can tell apart.
  static func directValue(_ rgb: (UInt8, UInt8, UInt8)) -> Int32 {
    max(8, Int32(rgb.0) << 16 | Int32(rgb.1) << 8 | Int32(rgb.2))
  }

  /// xterm's default palette.
  static let basic: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]
  static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

  package static func rgb(ofIndex n: UInt8) -> (UInt8, UInt8, UInt8) {
    switch n {
    case 0..<16: return basic[Int(n)]
    case 16..<232:
      let i = Int(n) - 16
      return (UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[(i / 6) % 6]), UInt8(cubeLevels[i % 6]))
    default:
      let grey = UInt8(8 + 10 * (Int(n) - 232))
      return (grey, grey, grey)
    }
  }

  private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
    let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
    return dr * dr + dg * dg + db * db
  }

  static func nearest(_ rgb: (UInt8, UInt8, UInt8), among range: Range<Int>) -> Int {
    range.min { distance(basic[$0], rgb) < distance(basic[$1], rgb) } ?? 0
  }

  /// The nearest of the 6×6×6 cube and the grey ramp (16–255).
  package static func nearest256(_ rgb: (UInt8, UInt8, UInt8)) -> Int {
    func level(_ v: UInt8) -> Int { cubeLevels.indices.min { abs(cubeLevels[$0] - Int(v)) < abs(cubeLevels[$1] - Int(v)) } ?? 0 }
    let cube = 16 + 36 * level(rgb.0) + 6 * level(rgb.1) + level(rgb.2)
    let mean = (Int(rgb.0) + Int(rgb.1) + Int(rgb.2)) / 3
    let greyIndex = 232 + min(23, max(0, (mean - 8 + 5) / 10))
    return distance(Self.rgb(ofIndex: UInt8(greyIndex)), rgb) < distance(Self.rgb(ofIndex: UInt8(cube)), rgb) ? greyIndex : cube
  }
}

/// Colour pairs of the terminal, allocated on first use; when the terminal's pairs run out the
/// table starts over and the caller repaints everything (so no cell keeps a redefined pair).
package struct PairTable {
  private var pairs: [Int64: Int32] = [:]
  private var next: Int32 = 1
  let limit: Int32

  package init(limit: Int32) { self.limit = limit }

  /// The pair for (foreground, background), or nil when the table is full.
  package mutating func pair(foreground: Int32, background: Int32, define: (Int32, Int32, Int32) -> Void) -> Int32? {
    if foreground == -1 && background == -1 { return 0 }
    let key = Int64(foreground) << 32 | Int64(UInt32(bitPattern: background))
    if let known = pairs[key] { return known }
    guard next < limit else { return nil }
    let number = next
    next += 1
    define(number, foreground, background)
    pairs[key] = number
    return number
  }

  package mutating func reset() {
    pairs.removeAll(keepingCapacity: true)
    next = 1
  }
}
