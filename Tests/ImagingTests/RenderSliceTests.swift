// Tests of slice resampling: exact area averages against a supersampling oracle, the drawing size
// from voxel spacing, the GTV outline at the mask edge, the crop box and the overlay.
import Testing
import Imaging

/// A one-slice-of-interest volume from a [y][x] table of HU (slice z = 1 of 2; slice 0 is −1000).
func handBuiltVolume(_ rows: [[Float]], spacing: SIMD3<Double> = SIMD3(1, 1, 3)) -> Volume {
  let ny = rows.count, nx = rows[0].count
  let grid = Grid(nx: nx, ny: ny, nz: 2, spacing: spacing)
  return Volume(grid: grid, voxels: [Float](repeating: -1000, count: nx * ny) + rows.flatMap { $0 })
}

func handBuiltMask(_ grid: Grid, inside: (Int, Int) -> Bool) -> Mask {
  var mask = Mask(grid: grid, voxels: [UInt8](repeating: 0, count: grid.voxelCount))
  for y in 0..<grid.ny { for x in 0..<grid.nx where inside(x, y) { mask[x, y, 1] = 1 } }
  return mask
}

@Suite struct RenderSliceTests {
  /// HU whose soft-window grey is k/8 exactly: grey = (HU + 160) / 400.
  static func hu(eighths k: Int) -> Float { Float(50 * k - 160) }

  @Test func areaAveragesAreExact() {
    // 6 × 4 voxels of distinct greys drawn 4 pixels wide: pixels are 1.5 × 4/3 voxels, so every
    // pixel straddles voxels unevenly. Oracle: supersampling each voxel 12 × 12, whose sub-sample
    // boundaries fall exactly on the pixel edges (1.5 = 18/12, 4/3 = 16/12).
    let greys: [[Int]] = [[0, 8, 3, 5, 1, 7], [2, 6, 4, 0, 8, 3], [7, 1, 5, 2, 6, 4], [8, 0, 1, 3, 2, 5]]
    let volume = handBuiltVolume(greys.map { $0.map { Self.hu(eighths: $0) } })
    let raster = SliceRaster(request: SliceRenderRequest(image: volume, z: 1, width: 4, mode: .truecolor))
    #expect(raster.columns == 4 && raster.rows == 3)   // round(4 · 4/6) = 3 square pixels
    let sub = 12
    var maxDifference = 0.0
    for row in 0..<3 {
      for column in 0..<4 {
        var sum = 0.0, count = 0
        for sy in (row * 16)..<((row + 1) * 16) {
          for sx in (column * 18)..<((column + 1) * 18) {
            sum += Double(greys[sy / sub][sx / sub]) / 8
            count += 1
          }
        }
        maxDifference = max(maxDifference, abs(sum / Double(count) - Double(raster.grey[row * 4 + column])))
      }
    }
    print("area averages: max |grey − supersampled oracle| = \(maxDifference) (tolerance 1e-6)")
    #expect(maxDifference < 1e-6)
  }

  @Test func truecolorCellsCarryTheAveragedGreys() {
    // 2 × 2 voxels drawn 1 pixel wide: one pixel, the mean of four greys; half-block lower pixel absent.
    let volume = handBuiltVolume([[Self.hu(eighths: 0), Self.hu(eighths: 8)], [Self.hu(eighths: 2), Self.hu(eighths: 2)]])
    let cells = SliceRenderer.render(SliceRenderRequest(image: volume, z: 1, width: 1, mode: .truecolor))
    #expect(cells.count == 1 && cells[0].count == 1)
    #expect(cells[0][0].character == "▀")
    #expect(cells[0][0].foreground == .rgb(96, 96, 96))   // mean 3/8 → 95.625 → 96
    #expect(cells[0][0].background == .standard)
    // At 1:1 the upper and lower pixels are the voxels themselves.
    let full = SliceRenderer.render(SliceRenderRequest(image: volume, z: 1, width: 2, mode: .truecolor))
    #expect(full.count == 1 && full[0].count == 2)
    #expect(full[0][1].foreground == .rgb(255, 255, 255) && full[0][1].background == .rgb(64, 64, 64))
  }

  @Test func sizeFollowsPhysicalAspectAndHeightLimit() {
    // 100 × 50 voxels at 1 × 2 mm: 100 mm square.
    let grid = Grid(nx: 100, ny: 50, nz: 1, spacing: SIMD3(1, 2, 3))
    let volume = Volume(grid: grid, voxels: [Float](repeating: 0, count: grid.voxelCount))
    let half = SliceRenderer.size(of: SliceRenderRequest(image: volume, z: 0, width: 60, mode: .truecolor))
    #expect(half.columns == 60 && half.rows == 30)      // 60 square pixels tall, two per cell
    let single = SliceRenderer.size(of: SliceRenderRequest(image: volume, z: 0, width: 60, mode: .ascii))
    #expect(single.columns == 60 && single.rows == 30)  // cells are twice as tall as wide
    let limited = SliceRenderer.size(of: SliceRenderRequest(image: volume, z: 0, width: 60, height: 10, mode: .truecolor))
    #expect(limited.columns == 20 && limited.rows == 10)
    let cells = SliceRenderer.render(SliceRenderRequest(image: volume, z: 0, width: 60, height: 10, mode: .shade16))
    #expect(cells.count == 10 && cells.allSatisfy { $0.count == 20 })
    #expect(SliceRenderer.render(SliceRenderRequest(image: volume, z: 0, width: 0, mode: .ascii)).isEmpty)
    #expect(SliceRenderer.render(SliceRenderRequest(image: volume, z: 5, width: 10, mode: .ascii)).isEmpty)
  }

  @Test func outlineIsTheMaskEdgeAtOneToOne() {
    // A 3 × 3 mask square in a 7 × 7 slice: its 8 border voxels are outline, its centre is not.
    // Tissue at 60 HU: grey 0.55 → 140.25 → 140.
    let volume = handBuiltVolume([[Float]](repeating: [Float](repeating: 60, count: 7), count: 7))
    let mask = handBuiltMask(volume.grid) { x, y in (2...4).contains(x) && (2...4).contains(y) }
    let raster = SliceRaster(request: SliceRenderRequest(image: volume, z: 1, mask: mask, width: 7, mode: .truecolor))
    for y in 0..<7 {
      for x in 0..<7 {
        let expected = (2...4).contains(x) && (2...4).contains(y) && !(x == 3 && y == 3)
        #expect(raster.outline[y * 7 + x] == expected, "pixel \(x),\(y)")
      }
    }
    // The cells: outline pixels are green, the rest the tissue grey; cell row 1 holds pixel rows 2 and 3.
    let cells = SliceRenderer.render(SliceRenderRequest(image: volume, z: 1, mask: mask, width: 7, mode: .truecolor))
    let (r, g, b) = RenderPalette.outline.bytes
    #expect(cells[1][2].foreground == .rgb(r, g, b) && cells[1][2].background == .rgb(r, g, b))
    #expect(cells[1][3].foreground == .rgb(r, g, b) && cells[1][3].background == .rgb(140, 140, 140))
    #expect(cells[0][0].foreground == .rgb(140, 140, 140))
    // No outline when switched off.
    let off = SliceRaster(request: SliceRenderRequest(image: volume, z: 1, mask: mask, showOutline: false, width: 7, mode: .truecolor))
    #expect(!off.outline.contains(true))
  }

  @Test func outlineStaysThinWhenEnlargedAndSurvivesShrinking() {
    let volume = handBuiltVolume([[Float]](repeating: [Float](repeating: 40, count: 8), count: 8))
    let mask = handBuiltMask(volume.grid) { x, y in (2...5).contains(x) && (2...5).contains(y) }
    // Enlarged 4×: the square covers pixels 8…23; its edge pixels are outline, one pixel thick.
    let big = SliceRaster(request: SliceRenderRequest(image: volume, z: 1, mask: mask, width: 32, mode: .truecolor))
    for y in 0..<32 {
      for x in 0..<32 {
        let inside = (8...23).contains(x) && (8...23).contains(y)
        let edge = inside && (x == 8 || x == 23 || y == 8 || y == 23)
        #expect(big.outline[y * 32 + x] == edge, "pixel \(x),\(y)")
      }
    }
    // Shrunk 2×: pixels of 2 × 2 voxels; every pixel touching the square's border voxels is outline.
    let small = SliceRaster(request: SliceRenderRequest(image: volume, z: 1, mask: mask, width: 4, mode: .truecolor))
    #expect(small.outline == [false, false, false, false,
                              false, true, true, false,
                              false, true, true, false,
                              false, false, false, false])
  }

  @Test func cropBoxIsOnePixelAlongItsEdges() {
    let volume = handBuiltVolume([[Float]](repeating: [Float](repeating: 40, count: 10), count: 10))
    let box = VoxelRect(x0: 2, y0: 3, x1: 7, y1: 9)
    let raster = SliceRaster(request: SliceRenderRequest(image: volume, z: 1, width: 10, mode: .truecolor, cropBox: box))
    for y in 0..<10 {
      for x in 0..<10 {
        let inX = (2...6).contains(x), inY = (3...8).contains(y)
        let expected = (inY && (x == 2 || x == 6)) || (inX && (y == 3 || y == 8))
        #expect(raster.cropBox[y * 10 + x] == expected, "pixel \(x),\(y)")
      }
    }
    #expect(VoxelRect(centreX: 40, centreY: 50, side: 64) == VoxelRect(x0: 8, y0: 18, x1: 72, y1: 82))
  }

  @Test func viewportShowsPartOfTheSliceAndBlackOutside() {
    let greys: [[Int]] = [[0, 2, 4, 6], [8, 6, 4, 2], [1, 3, 5, 7], [7, 5, 3, 1]]
    let volume = handBuiltVolume(greys.map { $0.map { Self.hu(eighths: $0) } })
    let raster = SliceRaster(request: SliceRenderRequest(image: volume, z: 1, width: 3, mode: .truecolor,
                                                          viewport: VoxelRect(x0: 2, y0: 1, x1: 5, y1: 4)))
    #expect(raster.columns == 3 && raster.rows == 3)
    let expected: [Float] = [0.5, 0.25, 0, 5.0 / 8, 7.0 / 8, 0, 3.0 / 8, 1.0 / 8, 0]
    #expect(zip(raster.grey, expected).allSatisfy { abs($0 - $1) < 1e-6 })
  }

  @Test func overlayIsDivergingAndAreaWeighted() {
    let volume = handBuiltVolume([[Float]](repeating: [Float](repeating: 40, count: 4), count: 2))
    // Left pixel (2 × 2 voxels): +1 on half of it, NaN elsewhere → mean +1, half covered.
    // Right pixel: −0.5 everywhere with scale 1.
    let nan = Float.nan
    let overlay: [Float] = [1, 1, -0.5, -0.5, nan, nan, -0.5, -0.5]
    let request = SliceRenderRequest(image: volume, z: 1, width: 2, mode: .truecolor, overlay: overlay,
                                     overlayScale: 1, overlayOpacity: 0.8)
    let raster = SliceRaster(request: request)
    #expect(raster.overlay == [1, -0.5])
    #expect(abs(raster.overlayAlpha[0] - 0.4) < 1e-6 && abs(raster.overlayAlpha[1] - 0.4) < 1e-6)
    let cells = SliceRenderer.render(request)
    guard case .rgb(let r0, _, let b0) = cells[0][0].foreground, case .rgb(let r1, _, let b1) = cells[0][1].foreground else {
      Issue.record("expected RGB cells"); return
    }
    #expect(r0 > b0)    // positive → red
    #expect(b1 > r1)    // negative → blue
    #expect(RenderPalette.diverging(0) == RGB(grey: 1))
    #expect(RenderPalette.diverging(1) == RenderPalette.positive && RenderPalette.diverging(-1) == RenderPalette.negative)
  }
}
