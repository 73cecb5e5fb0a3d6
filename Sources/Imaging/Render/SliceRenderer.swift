// SliceRenderer: one axial CT slice as rows of text cells, a pure function of the request. The
// explorer draws these cells into its screen grid; `fgf render` prints them with ANSIText.

public enum SliceRenderer {
  /// Rows of cells (all of the same length) drawing `request`. Empty when the request has no room
  /// (width or height 0) or the slice index is out of range.
  public static func render(_ request: SliceRenderRequest) -> [[Cell]] {
    guard (0..<request.image.grid.nz).contains(request.z) else { return [] }
    let raster = SliceRaster(request: request)
    guard raster.columns > 0, raster.rows > 0 else { return [] }
    switch request.mode {
    case .truecolor, .grey256: return halfBlocks(raster, truecolor: request.mode == .truecolor)
    case .greyBlanks: return greyBlanks(raster)
    case .shade16: return shades(raster, greys: RenderPalette.greys16, sixteen: true)
    case .shade8: return shades(raster, greys: RenderPalette.greys8, sixteen: false)
    case .ascii: return ascii(raster)
    }
  }

  /// The number of cell rows and columns `render` returns for `request`, without drawing.
  public static func size(of request: SliceRenderRequest) -> (columns: Int, rows: Int) {
    let grid = request.image.grid
    let view = request.viewport ?? VoxelRect(x0: 0, y0: 0, x1: grid.nx, y1: grid.ny)
    let pixels = SliceRaster.size(of: request, view: view)
    let perCell = request.mode.usesHalfBlocks ? 2 : 1
    return (pixels.columns, (pixels.rows + perCell - 1) / perCell)
  }

  /// "▀": foreground = upper pixel, background = lower pixel (the default background when the
  /// pixel rows are odd and the last cell has no lower pixel).
  private static func halfBlocks(_ raster: SliceRaster, truecolor: Bool) -> [[Cell]] {
    func colour(_ column: Int, _ row: Int) -> TerminalColor {
      if truecolor {
        let (r, g, b) = raster.colour(column: column, row: row).bytes
        return .rgb(r, g, b)
      }
      let i = row * raster.columns + column
      return .indexed(raster.isPlainGrey(i) ? RenderPalette.grey256(raster.grey[i])
                                             : RenderPalette.color256(raster.colour(column: column, row: row)))
    }
    return stride(from: 0, to: raster.rows, by: 2).map { upper in
      (0..<raster.columns).map { column in
        Cell("▀", foreground: colour(column, upper),
             background: upper + 1 < raster.rows ? colour(column, upper + 1) : .standard)
      }
    }
  }

  /// ASCII blanks on a 256-colour background: colour without UTF-8.
  private static func greyBlanks(_ raster: SliceRaster) -> [[Cell]] {
    (0..<raster.rows).map { row in
      (0..<raster.columns).map { column in
        let i = row * raster.columns + column
        let index = raster.isPlainGrey(i) ? RenderPalette.grey256(raster.grey[i])
                                          : RenderPalette.color256(raster.colour(column: column, row: row))
        return Cell(" ", background: .indexed(index))
      }
    }
  }

  /// Shade glyphs over the terminal's greys, ordered-dithered; the outline and crop box are full
  /// blocks in green and amber; the overlay is a red or blue shade whose density follows |value|.
  private static func shades(_ raster: SliceRaster, greys: [UInt8], sixteen: Bool) -> [[Cell]] {
    (0..<raster.rows).map { row in
      (0..<raster.columns).map { column in
        let i = row * raster.columns + column
        if raster.outline[i] {
          return Cell("█", foreground: .indexed(sixteen ? RenderPalette.outline16 : RenderPalette.outline8),
                      background: .indexed(greys[0]))
        }
        if raster.cropBox[i] {
          return Cell("█", foreground: .indexed(sixteen ? RenderPalette.cropBox16 : RenderPalette.cropBox8),
                      background: .indexed(greys[0]))
        }
        let alpha = raster.overlayAlpha[i]
        if alpha >= 0.125 {
          let positive = raster.overlay[i] > 0
          let foreground: UInt8 = positive ? (sixteen ? RenderPalette.positive16 : RenderPalette.positive8)
                                           : (sixteen ? RenderPalette.negative16 : RenderPalette.negative8)
          let density = min(4, max(1, Int((alpha * 4).rounded())))
          let under = greys[min(greys.count - 1, Int((raster.grey[i] * Float(greys.count - 1)).rounded()))]
          return Cell(RenderPalette.shades[density], foreground: .indexed(foreground), background: .indexed(under))
        }
        return RenderPalette.shadeCell(grey: raster.grey[i], greys: greys, column: column, row: row)
      }
    }
  }

  /// The ASCII ramp; the outline, crop box and strong overlay values get characters outside it.
  private static func ascii(_ raster: SliceRaster) -> [[Cell]] {
    (0..<raster.rows).map { row in
      (0..<raster.columns).map { column in
        let i = row * raster.columns + column
        if raster.outline[i] { return Cell(RenderPalette.asciiOutline) }
        if raster.cropBox[i] { return Cell(RenderPalette.asciiCropBox) }
        if raster.overlayAlpha[i] >= 0.4 {
          return Cell(raster.overlay[i] > 0 ? RenderPalette.asciiPositive : RenderPalette.asciiNegative)
        }
        return Cell(RenderPalette.asciiCharacter(raster.grey[i]))
      }
    }
  }
}
