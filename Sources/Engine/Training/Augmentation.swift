// Training augmentation: a left–right flip and an integer shift, applied identically to a sample's
// input, mask and penalty directions (all [C, H, W]). Pixels moved in from outside are air for the
// input (x = −1, i.e. −1000 HU after windowing clamps to −160) and 0 for masks and directions.
// Flipping mirrors values; it negates nothing.

import Common

/// One draw of the augmentation.
public struct Augmentation: Sendable, Equatable {
  public var flip: Bool
  /// Shift in rows (down) and columns (right), in pixels.
  public var dy: Int
  public var dx: Int

  public static let identity = Augmentation(flip: false, dy: 0, dx: 0)

  public init(flip: Bool, dy: Int, dx: Int) {
    self.flip = flip; self.dy = dy; self.dx = dx
  }

  /// A random flip (probability ½) and shifts uniform in −maxShift…maxShift.
  public static func draw(_ random: inout SeededRandom, maxShift: Int) -> Augmentation {
    let flip = random.next() >> 63 == 1
    let dy = random.index(2 * maxShift + 1) - maxShift
    let dx = random.index(2 * maxShift + 1) - maxShift
    return Augmentation(flip: flip, dy: dy, dx: dx)
  }

  /// out[c][y][x] = in'[c][y − dy][x − dx], in' the (optionally mirrored) input, or `fill` outside.
  public func apply(_ values: [Float], channels: Int, height: Int, width: Int, fill: Float) -> [Float] {
    precondition(values.count == channels * height * width, "augmentation: shape mismatch")
    if self == .identity { return values }
    var out = [Float](repeating: fill, count: values.count)
    for c in 0..<channels {
      for y in 0..<height {
        let sy = y - dy
        guard sy >= 0 && sy < height else { continue }
        for x in 0..<width {
          let shifted = x - dx
          guard shifted >= 0 && shifted < width else { continue }
          let sx = flip ? width - 1 - shifted : shifted
          out[(c * height + y) * width + x] = values[(c * height + sy) * width + sx]
        }
      }
    }
    return out
  }
}
