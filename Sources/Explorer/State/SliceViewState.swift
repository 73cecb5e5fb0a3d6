// SliceViewState: how the slice pane shows the current patient: which slice, which CT window,
// whether the GTV outline, the model-input crop box and a model's ∇f overlay are drawn, and
// whether models A and B are shown side by side.

/// CT display windows (DESIGN §7).
public enum CTWindow: Int, Sendable, CaseIterable, CustomStringConvertible {
  case soft, bone, lung

  public var width: Double { switch self { case .soft: 400; case .bone: 1800; case .lung: 1500 } }
  public var level: Double { switch self { case .soft: 40; case .bone: 400; case .lung: -600 } }
  public var description: String {
    switch self { case .soft: "soft tissue"; case .bone: "bone"; case .lung: "lung" }
  }
  public var next: CTWindow { CTWindow(rawValue: (rawValue + 1) % CTWindow.allCases.count) ?? .soft }
}

public struct SliceViewState: Sendable, Equatable {
  /// The axial slice shown; nil means the tumour's centre slice (set when a patient is chosen).
  public var slice: Int?
  public var window: CTWindow = .soft
  public var outline = true
  public var cropBox = true
  /// Model whose ∇f is overlaid (nil: none).
  public var overlay: Int?
  /// Models A and B side by side, each with its own ∇f.
  public var sideBySide = false
  /// Shows only the model-input crop region, enlarged.
  public var zoom = false

  public init() {}

  /// The overlay cycle: off → A → B → … → off.
  public mutating func cycleOverlay(models: Int) {
    guard models > 0 else { overlay = nil; return }
    if let current = overlay {
      overlay = current + 1 < models ? current + 1 : nil
    } else {
      overlay = 0
    }
  }
}
