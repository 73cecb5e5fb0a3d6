// Preprocessor: DESIGN §4 steps 1–5, from a CT volume and its GTV mask to the 3×64×64 model input.
// The conventions are exact and written out in README "Preprocessing" so that another
// implementation reproduces the crops bit for bit. Only the pixels the crop needs are resampled;
// the result equals resampling whole slices first.

import Common

/// Why a volume and mask cannot be preprocessed.
public enum PreprocessError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The mask has no voxel set, so there is no tumour to centre on.
  case emptyMask
  /// Image and mask are not on the same voxel grid.
  case gridMismatch(image: String, mask: String)
  /// The spacing is not positive and finite, or resampling to 1 mm would make a slice absurdly large.
  case unsupportedSpacing(String)

  public var description: String {
    switch self {
    case .emptyMask: return "the mask is empty (no voxel is set), so there is no tumour to centre the crop on"
    case .gridMismatch(let image, let mask): return "the image grid (\(image)) and the mask grid (\(mask)) differ"
    case .unsupportedSpacing(let detail): return "cannot resample to 1 mm: \(detail)"
    }
  }
}

public enum Preprocessor {
  /// Changes whenever any convention below changes; cached crops are keyed by it.
  public static let version = 1
  /// HU of voxels outside the volume.
  public static let outsideHU: Float = -1000
  /// The HU window mapped onto [−1, 1]: x = (clamp(HU, low, high) − centre) / halfWidth.
  public static let windowLow: Float = -160, windowHigh: Float = 240
  public static let windowCentre: Float = 40, windowHalfWidth: Float = 200
  /// Spacings within this many mm of 1.0 are not resampled.
  public static let spacingTolerance = AxisSampling.tolerance

  /// The parameters as JSON, for model files' `fgf.preprocess` metadata.
  public static var parametersJSON: String {
    JSONValue.object([
      ("version", .number(version)),
      ("in_plane_spacing_mm", .number(1.0)),
      ("spacing_tolerance_mm", .number(spacingTolerance)),
      ("crop", .array([.number(ModelInput.channels), .number(ModelInput.side), .number(ModelInput.side)])),
      ("outside_hu", .number(Double(outsideHU))),
      ("clamp_hu", .array([.number(Double(windowLow)), .number(Double(windowHigh))])),
      ("x", .string("(clamp(HU, -160, 240) - 40) / 200")),
    ]).serialized
  }

  /// Steps 1–5: the model input of `image` (HU) with GTV `mask` on the same grid.
  public static func modelInput(image: Volume, mask: Mask) throws(PreprocessError) -> ModelInput {
    let grid = image.grid
    guard sameGrid(grid, mask.grid) else {
      throw .gridMismatch(image: describe(grid), mask: describe(mask.grid))
    }
    let (columns, rows) = try samplings(grid)
    let centre = try self.centre(mask, columns: columns, rows: rows)
    let side = ModelInput.side, half = side / 2, plane = side * side
    var x = [Float](repeating: normalize(hu: outsideHU), count: ModelInput.count)
    var m = [Float](repeating: 0, count: ModelInput.count)
    image.voxels.withUnsafeBufferPointer { hu in
      mask.voxels.withUnsafeBufferPointer { gtv in
        for channel in 0..<ModelInput.channels {
          let z = centre.z - 1 + channel
          guard z >= 0 && z < grid.nz else { continue }
          let slice = z * grid.sliceCount
          for r in 0..<side {
            let row = centre.y - half + r
            guard row >= 0 && row < rows.count else { continue }
            let y0 = rows.lower[row], ty = rows.weight[row]
            let line0 = slice + y0 * grid.nx, line1 = ty > 0 ? line0 + grid.nx : line0
            let nearestLine = slice + rows.nearest[row] * grid.nx
            for c in 0..<side {
              let column = centre.x - half + c
              guard column >= 0 && column < columns.count else { continue }
              let x0 = columns.lower[column], tx = columns.weight[column]
              let x1 = tx > 0 ? x0 + 1 : x0
              let value = bilinear(hu[line0 + x0], hu[line0 + x1], hu[line1 + x0], hu[line1 + x1], tx: tx, ty: ty)
              let out = channel * plane + r * side + c
              x[out] = normalize(hu: value)
              m[out] = gtv[nearestLine + columns.nearest[column]] != 0 ? 1 : 0
            }
          }
        }
      }
    }
    return ModelInput(x: x, mask: m, sliceThickness: grid.spacing.z, centre: centre)
  }

  /// Steps 1–3: the centre slice z* and the centre row and column on the 1 mm in-plane grid.
  public static func centre(of mask: Mask) throws(PreprocessError) -> (z: Int, y: Int, x: Int) {
    let (columns, rows) = try samplings(mask.grid)
    return try centre(mask, columns: columns, rows: rows)
  }

  /// Step 5: x = (clamp(HU, −160, 240) − 40) / 200 in float arithmetic; NaN counts as outside (−1).
  @inline(__always) public static func normalize(hu: Float) -> Float {
    guard !hu.isNaN else { return (windowLow - windowCentre) / windowHalfWidth }
    return (min(max(hu, windowLow), windowHigh) - windowCentre) / windowHalfWidth
  }

  /// The grid after step 1: 1 mm in-plane (axes within tolerance unchanged), the first voxel
  /// centre kept; nil when the spacing is unsupported.
  public static func resampledGrid(_ grid: Grid) -> Grid? {
    guard let sampling = try? samplings(grid) else { return nil }
    let (columns, rows) = sampling
    var affine = grid.affine
    for r in 0..<3 {
      if columns.resampled { affine[4 * r] /= grid.spacing.x }
      if rows.resampled { affine[4 * r + 1] /= grid.spacing.y }
    }
    return Grid(nx: columns.count, ny: rows.count, nz: grid.nz,
                spacing: SIMD3(columns.resampled ? 1 : grid.spacing.x, rows.resampled ? 1 : grid.spacing.y, grid.spacing.z),
                affine: affine)
  }

  /// Where the crop of a model input centred at `centre` lies on the original `grid`: the voxel
  /// coordinates (fractional when resampled) of the centres of its first and last columns and
  /// rows, and its slices. For drawing the crop box on the original slices.
  public static func cropRegion(centre: (z: Int, y: Int, x: Int), on grid: Grid)
    -> (x0: Double, y0: Double, x1: Double, y1: Double, z0: Int, z1: Int)? {
    guard let sampling = try? samplings(grid) else { return nil }
    let (columns, rows) = sampling
    let half = ModelInput.side / 2
    return (columns.position(of: centre.x - half), rows.position(of: centre.y - half),
            columns.position(of: centre.x + half - 1), rows.position(of: centre.y + half - 1),
            centre.z - 1, centre.z + 1)
  }

  // MARK: - Steps

  static func samplings(_ grid: Grid) throws(PreprocessError) -> (columns: AxisSampling, rows: AxisSampling) {
    guard let columns = AxisSampling(voxels: grid.nx, spacing: grid.spacing.x) else {
      throw .unsupportedSpacing("\(grid.nx) columns at \(grid.spacing.x) mm")
    }
    guard let rows = AxisSampling(voxels: grid.ny, spacing: grid.spacing.y) else {
      throw .unsupportedSpacing("\(grid.ny) rows at \(grid.spacing.y) mm")
    }
    return (columns, rows)
  }

  /// Steps 2–3 on the nearest-neighbour resampled mask, without building it: each original voxel
  /// stands for the samples whose nearest voxel it is, so the areas and coordinate sums are exact
  /// integers, and the centre index floor(c + 0.5) is computed exactly as floor((2S + A) / 2A).
  static func centre(_ mask: Mask, columns: AxisSampling, rows: AxisSampling) throws(PreprocessError) -> (z: Int, y: Int, x: Int) {
    let grid = mask.grid
    let columnWeight = columns.nearestMultiplicity(voxels: grid.nx)
    let rowWeight = rows.nearestMultiplicity(voxels: grid.ny)
    var bestZ = -1, bestArea = 0
    mask.voxels.withUnsafeBufferPointer { voxels in
      guard let base = voxels.baseAddress else { return }
      for z in 0..<grid.nz {
        var area = 0
        for y in 0..<grid.ny where rowWeight[y] > 0 {
          let row = base + (z * grid.ny + y) * grid.nx
          if isZero(row, count: grid.nx) { continue }  // most rows of a GTV mask are empty
          var count = 0
          for x in 0..<grid.nx where row[x] != 0 { count += columnWeight[x] }
          area += count * rowWeight[y]
        }
        if area > bestArea { bestArea = area; bestZ = z }  // strict: the lowest z wins ties
      }
    }
    guard bestZ >= 0 else { throw .emptyMask }
    let rowSum = rows.nearestIndexSum(voxels: grid.ny)
    let columnSum = columns.nearestIndexSum(voxels: grid.nx)
    var sumY = 0, sumX = 0
    for y in 0..<grid.ny where rowWeight[y] > 0 {
      let line = (bestZ * grid.ny + y) * grid.nx
      for x in 0..<grid.nx where mask.voxels[line + x] != 0 {
        sumY += rowSum[y] * columnWeight[x]
        sumX += columnSum[x] * rowWeight[y]
      }
    }
    func roundHalfUp(_ sum: Int) -> Int { (2 * sum + bestArea) / (2 * bestArea) }  // sums are ≥ 0
    return (bestZ, roundHalfUp(sumY), roundHalfUp(sumX))
  }

  /// Whether `count` bytes from `bytes` are all zero, eight at a time.
  @inline(__always) static func isZero(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
    let raw = UnsafeRawPointer(bytes)
    var any: UInt64 = 0, i = 0
    while i + 8 <= count { any |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self); i += 8 }
    while i < count { any |= UInt64(bytes[i]); i += 1 }
    return any == 0
  }

  /// Bilinear interpolation in double precision, rounded to float once; a zero weight drops its
  /// term (so a sample on a voxel centre is that voxel exactly, whatever its neighbour holds).
  @inline(__always) static func bilinear(_ a: Float, _ b: Float, _ c: Float, _ d: Float, tx: Double, ty: Double) -> Float {
    let top = tx == 0 ? Double(a) : (1 - tx) * Double(a) + tx * Double(b)
    if ty == 0 { return Float(top) }
    let bottom = tx == 0 ? Double(c) : (1 - tx) * Double(c) + tx * Double(d)
    return Float((1 - ty) * top + ty * bottom)
  }

  static func sameGrid(_ a: Grid, _ b: Grid) -> Bool {
    a.nx == b.nx && a.ny == b.ny && a.nz == b.nz &&
      abs(a.spacing.x - b.spacing.x) <= spacingTolerance && abs(a.spacing.y - b.spacing.y) <= spacingTolerance &&
      abs(a.spacing.z - b.spacing.z) <= spacingTolerance
  }

  static func describe(_ grid: Grid) -> String {
    "\(grid.nx)×\(grid.ny)×\(grid.nz) voxels of \(grid.spacing.x)×\(grid.spacing.y)×\(grid.spacing.z) mm"
  }
}
