// RenderPalette: the colours slices are drawn with. Grey levels and RGB are mapped onto each
// mode's repertoire: exact 24-bit values, the 256-colour palette without its redefinable colours
// 0–15, the four greys of 16-colour terminals; plus the outline, crop-box and overlay colours.

/// A colour as three channels in [0, 1].
public struct RGB: Sendable, Hashable {
  public var r: Float, g: Float, b: Float
  public init(_ r: Float, _ g: Float, _ b: Float) { self.r = r; self.g = g; self.b = b }
  public init(grey: Float) { r = grey; g = grey; b = grey }

  /// Linear mix: exactly `self` at t = 0 and `other` at t = 1.
  public func mixed(with other: RGB, _ t: Float) -> RGB {
    let s = 1 - t
    return RGB(r * s + other.r * t, g * s + other.g * t, b * s + other.b * t)
  }

  /// 8-bit channels, rounded to nearest.
  public var bytes: (UInt8, UInt8, UInt8) { (Self.byte(r), Self.byte(g), Self.byte(b)) }

  @inline(__always) static func byte(_ v: Float) -> UInt8 {
    UInt8(min(255, max(0, (v * 255).rounded())))
  }
}

public enum RenderPalette {
  /// GTV outline: green, distinct from greys and from the blue–white–red overlay.
  public static let outline = RGB(0, 215.0 / 255, 0)
  /// Model-input crop box: amber.
  public static let cropBox = RGB(1, 175.0 / 255, 0)
  /// Ends of the diverging overlay map (negative → blue, 0 → white, positive → red).
  public static let negative = RGB(40.0 / 255, 90.0 / 255, 1)
  public static let positive = RGB(230.0 / 255, 30.0 / 255, 30.0 / 255)

  /// The diverging colour of t ∈ [−1, 1]: white at 0, blue at −1, red at +1.
  public static func diverging(_ t: Float) -> RGB {
    let s = min(1, max(-1, t))
    return s >= 0 ? RGB(grey: 1).mixed(with: positive, s) : RGB(grey: 1).mixed(with: negative, -s)
  }

  // MARK: 256-colour palette

  /// Channel levels of the 6×6×6 cube (xterm): index 16 + 36r + 6g + b.
  static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

  /// Every grey the 256-colour palette offers outside 0–15, sorted by value: the ramp 232–255
  /// (8, 18, … 238) and the cube's diagonal (0, 95, 135, 175, 215, 255).
  static let greys256: [(value: Int, index: UInt8)] = {
    var list = (0..<24).map { (value: 8 + 10 * $0, index: UInt8(232 + $0)) }
    for (i, level) in cubeLevels.enumerated() {
      list.append((value: level, index: UInt8(16 + 43 * i)))
    }
    return list.sorted { $0.value < $1.value }
  }()

  /// Nearest 256-palette grey to `grey` ∈ [0, 1]; always an index ≥ 16.
  public static func grey256(_ grey: Float) -> UInt8 {
    let target = Float(min(1, max(0, grey))) * 255
    var best = greys256[0]
    var bestDistance = Float.infinity
    for entry in greys256 {
      let d = abs(Float(entry.value) - target)
      if d < bestDistance { bestDistance = d; best = entry }
    }
    return best.index
  }

  /// Nearest 256-palette colour to `rgb` among the cube (16–231) and the grey ramp (232–255); never 0–15.
  public static func color256(_ rgb: RGB) -> UInt8 {
    let target = [rgb.r, rgb.g, rgb.b].map { min(255, max(0, $0 * 255)) }
    var cube = [Int](repeating: 0, count: 3)
    var cubeDistance: Float = 0
    for c in 0..<3 {
      var bestLevel = 0
      for l in 1..<6 where abs(Float(cubeLevels[l]) - target[c]) < abs(Float(cubeLevels[bestLevel]) - target[c]) {
        bestLevel = l
      }
      cube[c] = bestLevel
      let d = Float(cubeLevels[bestLevel]) - target[c]
      cubeDistance += d * d
    }
    let mean = (target[0] + target[1] + target[2]) / 3
    let greyIndex = grey256(mean / 255)
    let greyValue = Float(greys256.first { $0.index == greyIndex }?.value ?? 0)
    let greyDistance = target.reduce(Float(0)) { $0 + ($1 - greyValue) * ($1 - greyValue) }
    if greyDistance < cubeDistance { return greyIndex }
    return UInt8(16 + 36 * cube[0] + 6 * cube[1] + cube[2])
  }

  /// The grey value (0…255) a 256-palette grey index stands for (for tests and legends).
  public static func value(ofGrey256 index: UInt8) -> Int? {
    greys256.first { $0.index == index }?.value
  }

  // MARK: 16- and 8-colour terminals

  /// The greys of a 16-colour terminal, darkest first: black, bright black, white, bright white
  /// (nominal levels 0, 1/3, 2/3, 1 as on VGA).
  public static let greys16: [UInt8] = [0, 8, 7, 15]
  /// The greys of an 8-colour terminal: black and white.
  public static let greys8: [UInt8] = [0, 7]
  /// Shade glyphs by coverage 0, ¼, ½, ¾, 1.
  public static let shades: [Character] = [" ", "░", "▒", "▓", "█"]
  /// Foreground colours on 16/8-colour terminals.
  static let outline16: UInt8 = 10, outline8: UInt8 = 2
  static let cropBox16: UInt8 = 11, cropBox8: UInt8 = 3
  static let positive16: UInt8 = 9, positive8: UInt8 = 1
  static let negative16: UInt8 = 12, negative8: UInt8 = 4

  /// 4×4 Bayer matrix (values 0…15) for ordered dithering.
  static let bayer4: [[Int]] = [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]

  /// Ordered-dithering threshold in (0, 1) for cell (column, row).
  @inline(__always) static func ditherThreshold(column: Int, row: Int) -> Float {
    (Float(bayer4[row & 3][column & 3]) + 0.5) / 16
  }

  /// The shade cell for grey ∈ [0, 1] over `greys` (darkest first): between consecutive greys the
  /// glyphs add 3 intermediate levels, so n greys give 4(n − 1) + 1 levels; the level is chosen by
  /// ordered dithering at (column, row).
  static func shadeCell(grey: Float, greys: [UInt8], column: Int, row: Int) -> Cell {
    let steps = 4 * (greys.count - 1)
    let scaled = min(1, max(0, grey)) * Float(steps)
    var level = Int(scaled.rounded(.down))
    if scaled - Float(level) > ditherThreshold(column: column, row: row) { level += 1 }
    level = min(steps, level)
    let segment = min(level / 4, greys.count - 2)
    let coverage = level - 4 * segment
    return Cell(shades[coverage], foreground: .indexed(greys[segment + 1]), background: .indexed(greys[segment]))
  }

  // MARK: ASCII

  /// Ten characters from dark to bright.
  public static let asciiRamp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
  /// Marks that are not in the ramp: GTV outline, crop box, positive and negative overlay.
  public static let asciiOutline: Character = "O", asciiCropBox: Character = "x"
  public static let asciiPositive: Character = ">", asciiNegative: Character = "<"

  /// The ramp character for grey ∈ [0, 1] (nearest of ten equal bins).
  static func asciiCharacter(_ grey: Float) -> Character {
    asciiRamp[min(asciiRamp.count - 1, max(0, Int(grey * Float(asciiRamp.count))))]
  }
}
