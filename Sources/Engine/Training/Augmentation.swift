// Training augmentation: an optional quarter-turn rotation (square images), a left–right flip and
// an integer shift, applied identically to a sample's input, mask and penalty directions (all
// [C, H, W]); rotation with the flip gives all eight symmetries of the square. Pixels moved in from outside are air for the
// input (x = −1, i.e. −1000 HU after windowing clamps to −160) and 0 for masks and directions.
// Flipping mirrors values; it negates nothing.

import Common

/// One draw of the augmentation.
public struct Augmentation: Sendable, Equatable {
  public var flip: Bool
  /// Shift in rows (down) and columns (right), in pixels.
  public var dy: Int
  public var dx: Int
  /// Quarter turns counterclockwise (0…3), applied first: one turn maps in[y][x] to out[W−1−x][y].
  public var quarterTurns: Int

  public static let identity = Augmentation(flip: false, dy: 0, dx: 0)

  public init(flip: Bool, dy: Int, dx: Int, quarterTurns: Int = 0) {
    precondition((0...3).contains(quarterTurns), "quarter turns are 0…3")
    self.flip = flip; self.dy = dy; self.dx = dx; self.quarterTurns = quarterTurns
  }

  /// A random flip (probability ½) and shifts uniform in −maxShift…maxShift; with `rotate`, then
  /// a quarter-turn count uniform in 0…3 (drawn last, so runs without rotation draw as before).
  public static func draw(_ random: inout SeededRandom, maxShift: Int, rotate: Bool = false) -> Augmentation {
    let flip = random.next() >> 63 == 1
    let dy = random.index(2 * maxShift + 1) - maxShift
    let dx = random.index(2 * maxShift + 1) - maxShift
    let turns = rotate ? random.index(4) : 0
    return Augmentation(flip: flip, dy: dy, dx: dx, quarterTurns: turns)
  }

  /// out[c][y][x] = in'[c][y − dy][x − dx], in' the input turned by `quarterTurns` and then
  /// (optionally) mirrored, or `fill` outside.
  public func apply(_ values: [Float], channels: Int, height: Int, width: Int, fill: Float) -> [Float] {
    precondition(values.count == channels * height * width, "augmentation: shape mismatch")
    if self == .identity { return values }
    precondition(quarterTurns == 0 || height == width, "augmentation: rotation needs square images")
    var out = [Float](repeating: fill, count: values.count)
    for c in 0..<channels {
      for y in 0..<height {
        let sy = y - dy
        guard sy >= 0 && sy < height else { continue }
        for x in 0..<width {
          let shifted = x - dx
          guard shifted >= 0 && shifted < width else { continue }
          let sx = flip ? width - 1 - shifted : shifted
          // Undo the turns: (sy, sx) in the turned image comes from (ry, rx) in the input.
          let (ry, rx): (Int, Int)
          switch quarterTurns {
          case 1: (ry, rx) = (sx, width - 1 - sy)
          case 2: (ry, rx) = (height - 1 - sy, width - 1 - sx)
          case 3: (ry, rx) = (height - 1 - sx, sy)
          default: (ry, rx) = (sy, sx)
          }
          out[(c * height + y) * width + x] = values[(c * height + ry) * width + rx]
        }
      }
    }
    return out
  }
}
