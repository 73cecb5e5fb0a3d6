// SliceRaster: a slice resampled onto the pixel grid of a text drawing. Every pixel covers an exact
// rectangle of voxels; its grey is the area-weighted mean of the windowed voxel greys, and the
// outline, crop-box and overlay layers are resolved per pixel. Modes then turn pixels into cells.

/// Pixels of one drawing: `columns` × `rows`, row-major.
package struct SliceRaster {
  package let columns: Int
  package let rows: Int
  /// Windowed grey in [0, 1] per pixel (area average).
  package var grey: [Float]
  /// Overlay value in [−1, 1] (after scaling) and its blending weight in [0, 1] per pixel.
  package var overlay: [Float]
  package var overlayAlpha: [Float]
  /// GTV outline and crop-box pixels.
  package var outline: [Bool]
  package var cropBox: [Bool]

  /// One entry of an axis resampling table: voxel index and its share of the pixel (shares sum to 1).
  struct Share { var voxel: Int; var weight: Double }

  /// For each of `count` pixels covering voxels [start, start + length) of an axis: the voxels it
  /// overlaps and the overlapped fraction of the pixel, exactly.
  static func shares(start: Int, length: Int, count: Int) -> [[Share]] {
    let step = Double(length) / Double(count)
    return (0..<count).map { i in
      let a = Double(start) + Double(i) * step, b = Double(start) + Double(i + 1) * step
      var list: [Share] = []
      var k = Int(a.rounded(.down))
      while Double(k) < b {
        let overlap = min(b, Double(k + 1)) - max(a, Double(k))
        if overlap > 1e-12 { list.append(Share(voxel: k, weight: overlap / step)) }
        k += 1
      }
      return list
    }
  }

  /// Pixel grid size for a request: pixels are square in millimetres for half-block modes and
  /// twice as tall as wide otherwise (a terminal cell is about 1:2).
  static func size(of request: SliceRenderRequest, view: VoxelRect) -> (columns: Int, rows: Int) {
    guard request.width > 0, !view.isEmpty else { return (0, 0) }
    let spacing = request.image.grid.spacing
    let aspect = Double(view.height) * spacing.y / (Double(view.width) * spacing.x)  // height / width in mm
    let pixelHeight: Double = request.mode.usesHalfBlocks ? 1 : 2                   // in pixel widths
    let pixelsPerCell = request.mode.usesHalfBlocks ? 2 : 1
    var columns = request.width
    var rows = max(1, Int((Double(columns) * aspect / pixelHeight).rounded()))
    if let height = request.height {
      let maxRows = max(0, height) * pixelsPerCell
      guard maxRows > 0 else { return (0, 0) }
      if rows > maxRows {
        columns = max(1, min(columns, Int((Double(maxRows) * pixelHeight / aspect).rounded(.down))))
        rows = min(maxRows, max(1, Int((Double(columns) * aspect / pixelHeight).rounded())))
      }
    }
    return (columns, rows)
  }

  package init(request: SliceRenderRequest) {
    let grid = request.image.grid
    let view = request.viewport ?? VoxelRect(x0: 0, y0: 0, x1: grid.nx, y1: grid.ny)
    (columns, rows) = Self.size(of: request, view: view)
    let pixelCount = columns * rows
    grey = [Float](repeating: 0, count: pixelCount)
    overlay = [Float](repeating: 0, count: pixelCount)
    overlayAlpha = [Float](repeating: 0, count: pixelCount)
    outline = [Bool](repeating: false, count: pixelCount)
    cropBox = [Bool](repeating: false, count: pixelCount)
    guard pixelCount > 0, (0..<grid.nz).contains(request.z) else { return }

    let xShares = Self.shares(start: view.x0, length: view.width, count: columns)
    let yShares = Self.shares(start: view.y0, length: view.height, count: rows)
    let sliceOffset = request.z * grid.sliceCount
    let window = request.window
    let voxels = request.image.voxels
    // Windowed greys of the slice, then exact area averages (voxels outside the slice are black).
    var sliceGrey = [Float](repeating: 0, count: grid.sliceCount)
    for i in 0..<grid.sliceCount { sliceGrey[i] = window.grey(voxels[sliceOffset + i]) }
    for (row, ys) in yShares.enumerated() {
      for (column, xs) in xShares.enumerated() {
        var sum = 0.0
        for sy in ys where sy.voxel >= 0 && sy.voxel < grid.ny {
          var rowSum = 0.0
          for sx in xs where sx.voxel >= 0 && sx.voxel < grid.nx {
            rowSum += sx.weight * Double(sliceGrey[sy.voxel * grid.nx + sx.voxel])
          }
          sum += sy.weight * rowSum
        }
        grey[row * columns + column] = Float(sum)
      }
    }

    if request.showOutline, let mask = request.mask, mask.grid.nx == grid.nx, mask.grid.ny == grid.ny,
       mask.grid.nz == grid.nz {
      markOutline(mask: mask, z: request.z, view: view, xShares: xShares, yShares: yShares)
    }
    if let box = request.cropBox, !box.isEmpty {
      markBox(box, view: view)
    }
    if let values = request.overlay, values.count == grid.sliceCount {
      blendOverlay(values, request: request, xShares: xShares, yShares: yShares)
    }
  }

  /// Outline voxels are mask voxels with a 4-neighbour outside the mask (or outside the slice).
  /// When pixels are at least a voxel in both directions, a pixel is outline if it overlaps an
  /// outline voxel (thin contours survive shrinking); when enlarging, the mask is sampled at pixel
  /// centres and the outline is drawn one pixel thick at its edge.
  private mutating func markOutline(mask: Mask, z: Int, view: VoxelRect, xShares: [[Share]], yShares: [[Share]]) {
    let nx = mask.grid.nx, ny = mask.grid.ny, offset = z * mask.grid.sliceCount
    let inMask = { (x: Int, y: Int) -> Bool in
      x >= 0 && y >= 0 && x < nx && y < ny && mask.voxels[offset + y * nx + x] != 0
    }
    let stepX = Double(view.width) / Double(columns), stepY = Double(view.height) / Double(rows)
    if stepX >= 1 && stepY >= 1 {
      let isOutlineVoxel = { (x: Int, y: Int) -> Bool in
        inMask(x, y) && (!inMask(x - 1, y) || !inMask(x + 1, y) || !inMask(x, y - 1) || !inMask(x, y + 1))
      }
      for (row, ys) in yShares.enumerated() {
        for (column, xs) in xShares.enumerated() {
          outline[row * columns + column] = ys.contains { sy in xs.contains { sx in isOutlineVoxel(sx.voxel, sy.voxel) } }
        }
      }
    } else {
      let sampled = { (column: Int, row: Int) -> Bool in
        let x = Double(view.x0) + (Double(column) + 0.5) * stepX
        let y = Double(view.y0) + (Double(row) + 0.5) * stepY
        return inMask(Int(x.rounded(.down)), Int(y.rounded(.down)))
      }
      for row in 0..<rows {
        for column in 0..<columns where sampled(column, row) {
          outline[row * columns + column] = !sampled(column - 1, row) || !sampled(column + 1, row)
            || !sampled(column, row - 1) || !sampled(column, row + 1)
        }
      }
    }
  }

  /// A one-pixel line along each edge of the continuous rectangle [x0, x1) × [y0, y1).
  private mutating func markBox(_ box: VoxelRect, view: VoxelRect) {
    let stepX = Double(view.width) / Double(columns), stepY = Double(view.height) / Double(rows)
    func start(_ i: Int, _ origin: Int, _ step: Double) -> Double { Double(origin) + Double(i) * step }
    for row in 0..<rows {
      let a = start(row, view.y0, stepY), b = a + stepY
      let rowOverlaps = a < Double(box.y1) && b > Double(box.y0)
      let topEdge = a <= Double(box.y0) && Double(box.y0) < b
      let bottomEdge = a < Double(box.y1) && Double(box.y1) <= b
      for column in 0..<columns {
        let c = start(column, view.x0, stepX), d = c + stepX
        let columnOverlaps = c < Double(box.x1) && d > Double(box.x0)
        let leftEdge = c <= Double(box.x0) && Double(box.x0) < d
        let rightEdge = c < Double(box.x1) && Double(box.x1) <= d
        if (rowOverlaps && (leftEdge || rightEdge)) || (columnOverlaps && (topEdge || bottomEdge)) {
          cropBox[row * columns + column] = true
        }
      }
    }
  }

  /// Area-weighted mean of the finite overlay values in each pixel, scaled to [−1, 1]; the blending
  /// weight is opacity × |mean| × (covered fraction of the pixel).
  private mutating func blendOverlay(_ values: [Float], request: SliceRenderRequest, xShares: [[Share]],
                                     yShares: [[Share]]) {
    var scale = request.overlayScale ?? 0
    if request.overlayScale == nil {
      for v in values where v.isFinite { scale = max(scale, abs(v)) }
    }
    guard scale > 0, scale.isFinite else { return }
    let nx = request.image.grid.nx, ny = request.image.grid.ny
    let opacity = min(1, max(0, request.overlayOpacity))
    for (row, ys) in yShares.enumerated() {
      for (column, xs) in xShares.enumerated() {
        var sum = 0.0, covered = 0.0
        for sy in ys {
          for sx in xs where sx.voxel >= 0 && sy.voxel >= 0 && sx.voxel < nx && sy.voxel < ny {
            let v = values[sy.voxel * nx + sx.voxel]
            if v.isFinite {
              sum += sx.weight * sy.weight * Double(v)
              covered += sx.weight * sy.weight
            }
          }
        }
        guard covered > 0 else { continue }
        let t = Float(min(1, max(-1, sum / covered / Double(scale))))
        overlay[row * columns + column] = t
        overlayAlpha[row * columns + column] = opacity * abs(t) * Float(min(1, covered))
      }
    }
  }

  /// The colour of pixel (column, row): outline over crop box over the grey blended with the overlay.
  func colour(column: Int, row: Int) -> RGB {
    let i = row * columns + column
    if outline[i] { return RenderPalette.outline }
    if cropBox[i] { return RenderPalette.cropBox }
    let base = RGB(grey: grey[i])
    return overlayAlpha[i] > 0 ? base.mixed(with: RenderPalette.diverging(overlay[i]), overlayAlpha[i]) : base
  }

  /// Whether pixel i is a plain grey (no outline, box or overlay on it).
  func isPlainGrey(_ i: Int) -> Bool { !outline[i] && !cropBox[i] && overlayAlpha[i] == 0 }
}
