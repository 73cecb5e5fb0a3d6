// WindowPreset: the CT display window (width W and level L in HU) that maps Hounsfield units to
// grey levels, with the three presets radiologists use for the neck and a custom W/L.

/// A display window: HU in [L − W/2, L + W/2] maps linearly onto black … white.
public enum WindowPreset: Sendable, Hashable, CustomStringConvertible {
  /// Soft tissue, W400/L40 (HU −160 … 240, the same range as the model input).
  case soft
  /// Bone, W1800/L400.
  case bone
  /// Lung and airway, W1500/L−600.
  case lung
  /// Any width (> 0) and level, in HU.
  case custom(width: Double, level: Double)

  public var width: Double {
    switch self {
    case .soft: 400
    case .bone: 1800
    case .lung: 1500
    case .custom(let width, _): width
    }
  }

  public var level: Double {
    switch self {
    case .soft: 40
    case .bone: 400
    case .lung: -600
    case .custom(_, let level): level
    }
  }

  /// "soft (W400/L40)" or "W350/L50".
  public var description: String {
    let numbers = "W\(Self.format(width))/L\(Self.format(level))"
    switch self {
    case .soft: return "soft (\(numbers))"
    case .bone: return "bone (\(numbers))"
    case .lung: return "lung (\(numbers))"
    case .custom: return numbers
    }
  }

  /// The next preset in the cycle soft → bone → lung → soft (a custom window goes to soft).
  public var next: WindowPreset {
    switch self {
    case .soft: .bone
    case .bone: .lung
    case .lung, .custom: .soft
    }
  }

  /// Parses "soft", "bone", "lung", "400/40", "W400/L40" or "w1500/l-600"; nil if malformed or
  /// the width is not positive.
  public init?(parsing text: String) {
    let lowered = text.lowercased().trimmingSpaces()
    switch lowered {
    case "soft", "soft-tissue", "soft tissue": self = .soft; return
    case "bone": self = .bone; return
    case "lung": self = .lung; return
    default: break
    }
    let parts = lowered.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    var widthText = Substring(parts[0]), levelText = Substring(parts[1])
    if widthText.hasPrefix("w") { widthText = widthText.dropFirst() }
    if levelText.hasPrefix("l") { levelText = levelText.dropFirst() }
    guard let width = Double(widthText), let level = Double(levelText),
          width.isFinite, level.isFinite, width > 0 else { return nil }
    self = .custom(width: width, level: level)
  }

  /// Grey level in [0, 1] of a HU value: (HU − (L − W/2)) / W, clamped. NaN maps to 0.
  @inline(__always) public func grey(_ hu: Float) -> Float {
    let g = (hu - Float(level - width / 2)) / Float(width)
    return g >= 1 ? 1 : (g > 0 ? g : 0)
  }

  private static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
  }
}

private extension String {
  func trimmingSpaces() -> String {
    var text = Substring(self)
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
