// SliceViewState: how the slice pane shows the current patient: which slice, which CT window,
// whether the GTV outline, the model-input crop box and a model's ∇f overlay are drawn, and
// whether models A and B are shown side by side.

import Imaging

public struct SliceViewState: Sendable, Equatable {
  /// The axial slice shown; nil means the tumour's centre slice (set when a patient is chosen).
  public var slice: Int?
  /// CT display window: soft tissue, bone, lung (w cycles) or a custom W/L.
  public var window: WindowPreset = .soft
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
