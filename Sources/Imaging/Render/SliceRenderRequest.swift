// SliceRenderRequest: everything that decides how one axial slice is drawn as text — the volume and
// slice, the GTV mask and whether to outline it, the window, the size in cells, the mode, the part
// of the slice shown, the model-input crop box and a signed per-voxel overlay.

/// A rectangle of voxels on a slice, half-open: columns x0 ..< x1, rows y0 ..< y1 (may extend
/// past the slice: the model-input crop of a tumour near the edge does).
public struct VoxelRect: Sendable, Hashable {
  public var x0: Int, y0: Int, x1: Int, y1: Int

  public init(x0: Int, y0: Int, x1: Int, y1: Int) {
    self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
  }

  /// The square of side `side` centred as DESIGN §4 crops: rows centre − side/2 … centre + side/2 − 1.
  public init(centreX: Int, centreY: Int, side: Int) {
    self.init(x0: centreX - side / 2, y0: centreY - side / 2, x1: centreX - side / 2 + side, y1: centreY - side / 2 + side)
  }

  public var width: Int { x1 - x0 }
  public var height: Int { y1 - y0 }
  public var isEmpty: Bool { x1 <= x0 || y1 <= y0 }
}

/// What to draw and how.
public struct SliceRenderRequest: Sendable {
  /// The CT volume (HU) and the axial slice index z to draw.
  public var image: Volume
  public var z: Int
  /// The GTV mask on the same grid, or nil.
  public var mask: Mask?
  /// Draw the GTV outline (mask voxels with a 4-neighbour outside the mask).
  public var showOutline: Bool
  public var window: WindowPreset
  /// Maximum size in character cells. The drawing keeps the slice's physical aspect ratio
  /// (voxel spacing included) and is as wide as `width` allows unless `height` is reached first.
  public var width: Int
  public var height: Int?
  public var mode: RenderMode
  /// The part of the slice shown (default: all of it). Voxels outside the volume are drawn black.
  public var viewport: VoxelRect?
  /// A rectangle outlined on top (e.g. the model's 64×64 input crop).
  public var cropBox: VoxelRect?
  /// A signed value per voxel of slice z ([y][x], nx·ny values; NaN = none), e.g. the model
  /// gradient, blended over the grey as a diverging blue–white–red map.
  public var overlay: [Float]?
  /// |value| drawn at full colour; nil → the largest finite |value| of the overlay.
  public var overlayScale: Float?
  /// Opacity of a full-colour overlay pixel, in [0, 1].
  public var overlayOpacity: Float

  public init(image: Volume, z: Int, mask: Mask? = nil, showOutline: Bool = true,
              window: WindowPreset = .soft, width: Int, height: Int? = nil, mode: RenderMode,
              viewport: VoxelRect? = nil, cropBox: VoxelRect? = nil, overlay: [Float]? = nil,
              overlayScale: Float? = nil, overlayOpacity: Float = 0.8) {
    self.image = image; self.z = z; self.mask = mask; self.showOutline = showOutline
    self.window = window; self.width = width; self.height = height; self.mode = mode
    self.viewport = viewport; self.cropBox = cropBox; self.overlay = overlay
    self.overlayScale = overlayScale; self.overlayOpacity = overlayOpacity
  }
}
