// Tests of DESIGN §4 preprocessing on volumes whose crop is known by construction: a box mask,
// crops leaving the volume on every side, non-1 mm spacing against an analytic bilinear result,
// nearest-neighbour ties, z* ties, an empty mask; and the fast path against a naive oracle that
// resamples whole slices first.
import Testing
import Common
import Imaging

/// Builds a volume and a mask from functions of the voxel index.
func makeVolume(_ nx: Int, _ ny: Int, _ nz: Int, spacing: SIMD3<Double> = SIMD3(1, 1, 3),
                hu: (Int, Int, Int) -> Float) -> Volume {
  let grid = Grid(nx: nx, ny: ny, nz: nz, spacing: spacing)
  var voxels = [Float](repeating: 0, count: grid.voxelCount)
  for z in 0..<nz { for y in 0..<ny { for x in 0..<nx { voxels[grid.index(x: x, y: y, z: z)] = hu(x, y, z) } } }
  return Volume(grid: grid, voxels: voxels)
}

func makeMask(_ grid: Grid, _ inside: (Int, Int, Int) -> Bool) -> Mask {
  var voxels = [UInt8](repeating: 0, count: grid.voxelCount)
  for z in 0..<grid.nz { for y in 0..<grid.ny { for x in 0..<grid.nx where inside(x, y, z) { voxels[grid.index(x: x, y: y, z: z)] = 1 } } }
  return Mask(grid: grid, voxels: voxels)
}

@Suite struct PreprocessTests {
  let side = ModelInput.side

  @Test func stepFiveWindow() {
    #expect(Preprocessor.normalize(hu: 40) == 0)
    #expect(Preprocessor.normalize(hu: 240) == 1)
    #expect(Preprocessor.normalize(hu: 3000) == 1)
    #expect(Preprocessor.normalize(hu: -160) == -1)
    #expect(Preprocessor.normalize(hu: -1000) == -1)
    #expect(Preprocessor.normalize(hu: 140) == 0.5)
    #expect(Preprocessor.normalize(hu: .nan) == -1)
    #expect(Preprocessor.normalize(hu: .infinity) == 1)
  }

  /// A box mask on a 1 mm grid: z* is the lowest of the tied slices, the centroid rounds half up,
  /// and every crop value is the window of the voxel it came from.
  @Test func boxMaskGivesKnownCentreAndCrop() throws {
    let image = makeVolume(100, 90, 10) { x, y, z in Float(x + 2 * y - 100 + 7 * z) }
    let mask = makeMask(image.grid) { x, y, z in (40...49).contains(x) && (30...37).contains(y) && (4...6).contains(z) }
    let input = try Preprocessor.modelInput(image: image, mask: mask)
    // Columns 40…49 → c_x = 44.5 → 45; rows 30…37 → c_y = 33.5 → 34; slices 4, 5, 6 tie → 4.
    #expect(input.centre == (4, 34, 45))
    #expect(input.sliceThickness == 3)
    var maskSum: Float = 0
    for c in 0..<3 {
      for r in 0..<side {
        for k in 0..<side {
          let z = 3 + c, y = 34 - 32 + r, x = 45 - 32 + k
          let i = (c * side + r) * side + k
          #expect(input.x[i] == Preprocessor.normalize(hu: Float(x + 2 * y - 100 + 7 * z)))
          maskSum += input.mask[i]
          #expect(input.mask[i] == (mask[x, y, z] == 1 ? 1 : 0))
        }
      }
    }
    #expect(maskSum == 2 * 80)  // channels z = 4, 5 hold the box; z = 3 does not
  }

  /// A 5×4×1 volume: the crop leaves it above, below, left, right and on both neighbouring slices.
  @Test func cropLeavingTheVolumeOnEverySide() throws {
    let image = makeVolume(5, 4, 1) { x, y, _ in Float(10 * x + y) }
    let mask = makeMask(image.grid) { x, y, _ in x == 2 && y == 1 }
    let input = try Preprocessor.modelInput(image: image, mask: mask)
    #expect(input.centre == (0, 1, 2))
    for c in 0..<3 {
      for r in 0..<side {
        for k in 0..<side {
          let y = 1 - 32 + r, x = 2 - 32 + k
          let i = (c * side + r) * side + k
          let inside = c == 1 && (0..<4).contains(y) && (0..<5).contains(x)
          #expect(input.x[i] == (inside ? Preprocessor.normalize(hu: Float(10 * x + y)) : -1))
          #expect(input.mask[i] == (c == 1 && x == 2 && y == 1 ? 1 : 0))
        }
      }
    }
  }

  @Test func cropAtTheFarCorner() throws {
    let image = makeVolume(70, 70, 3) { x, _, _ in Float(x) }
    let mask = makeMask(image.grid) { x, y, z in x == 69 && y == 69 && z == 2 }
    let input = try Preprocessor.modelInput(image: image, mask: mask)
    #expect(input.centre == (2, 69, 69))
    // Channel 2 is slice 3 (outside); in channel 1, row 31 / column 31 is voxel (68, 68), column 33 is outside.
    #expect(input.x[(2 * side + 32) * side + 32] == -1)
    #expect(input.x[(1 * side + 31) * side + 31] == Preprocessor.normalize(hu: 68))
    #expect(input.x[(1 * side + 32) * side + 33] == -1)
    #expect(input.x[(1 * side + 33) * side + 32] == -1)
    #expect(input.mask[(1 * side + 32) * side + 32] == 1)
  }

  /// HU bilinear in the world coordinates (X, Y) in mm is reproduced exactly by bilinear
  /// resampling, so the 1 mm sample at row r, column c must hold f(c, r).
  @Test func nonUnitSpacingMatchesTheAnalyticBilinearResult() throws {
    let hx = 0.8, hy = 1.25
    func f(_ X: Double, _ Y: Double) -> Double { 20 + 0.5 * X - 0.75 * Y + 0.01 * X * Y }
    let image = makeVolume(51, 33, 3, spacing: SIMD3(hx, hy, 2.5)) { x, y, _ in Float(f(Double(x) * hx, Double(y) * hy)) }
    // 51 columns at 0.8 mm → floor(50·0.8) + 1 = 41 samples; 33 rows at 1.25 mm → 41.
    let resampled = try #require(Preprocessor.resampledGrid(image.grid))
    #expect(resampled.nx == 41 && resampled.ny == 41 && resampled.spacing == SIMD3(1, 1, 2.5))
    #expect(abs(resampled.affine[0] - 1) < 1e-12 && abs(resampled.affine[5] - 1) < 1e-12)
    // Voxels x 25 (20 mm), y 16 (20 mm) → the 1 mm centre is (20, 20).
    let mask = makeMask(image.grid) { x, y, z in x == 25 && y == 16 && z == 1 }
    let input = try Preprocessor.modelInput(image: image, mask: mask)
    #expect(input.centre == (1, 20, 20))
    var maxDifference = 0.0
    for r in 0..<side {
      for k in 0..<side {
        let row = 20 - 32 + r, column = 20 - 32 + k
        let value = Double(input.x[(1 * side + r) * side + k])
        if (0...40).contains(row) && (0...40).contains(column) {
          let expected = (f(Double(column), Double(row)) - 40) / 200
          maxDifference = max(maxDifference, abs(value - expected))
        } else {
          #expect(value == -1)
        }
      }
    }
    print("bilinear resampling vs analytic: max |Δx| = \(maxDifference) (tolerance 1e-6)")
    #expect(maxDifference < 1e-6)
  }

  /// At 2 mm, sample k lies at k/2 voxels: samples 5 and 6 (2.5 and 3.0) take voxel 3 as their
  /// nearest (a tie takes the higher voxel), so a one-voxel mask at 3 becomes columns 5, 6.
  @Test func nearestNeighbourTiesTakeTheHigherVoxel() throws {
    let grid = Grid(nx: 8, ny: 1, nz: 1, spacing: SIMD3(2, 1, 1))
    let mask = makeMask(grid) { x, _, _ in x == 3 }
    let image = makeVolume(8, 1, 1, spacing: SIMD3(2, 1, 1)) { x, _, _ in Float(100 * x) }
    #expect(try Preprocessor.centre(of: mask) == (0, 0, 6))  // c_x = 5.5 → 6
    let input = try Preprocessor.modelInput(image: image, mask: mask)
    let row = (1 * side + 32) * side
    // Column 32 of the crop is sample 6; samples 0…14 exist (floor(7·2) + 1 = 15).
    let samples = (0..<15).map { input.x[row + 32 - 6 + $0] }
    let expected = (0..<15).map { Preprocessor.normalize(hu: Float(50 * $0)) }
    #expect(samples == expected)
    #expect(input.x[row + 32 - 7] == -1 && input.x[row + 32 + 9] == -1)
    #expect((0..<15).map { input.mask[row + 32 - 6 + $0] } == (0..<15).map { $0 == 5 || $0 == 6 ? 1 : 0 })
  }

  @Test func spacingWithinToleranceIsNotResampled() throws {
    let image = makeVolume(30, 30, 3, spacing: SIMD3(1.0009, 0.9991, 3)) { x, y, _ in Float(x * y) / 4 }
    let mask = makeMask(image.grid) { x, y, z in x > 10 && x < 20 && y > 5 && y < 9 && z == 1 }
    let same = makeVolume(30, 30, 3) { x, y, _ in Float(x * y) / 4 }
    let input = try Preprocessor.modelInput(image: image, mask: mask)
    let reference = try Preprocessor.modelInput(image: same, mask: Mask(grid: same.grid, voxels: mask.voxels))
    #expect(input.x == reference.x && input.mask == reference.mask && input.centre == reference.centre)
  }

  @Test func centreSliceIsTheLargestAreaLowestOnTies() throws {
    let grid = Grid(nx: 10, ny: 10, nz: 6, spacing: SIMD3(1, 1, 1))
    let areas = [0, 3, 5, 2, 5, 1]
    let mask = makeMask(grid) { x, y, z in y == 4 && x < areas[z] }
    #expect(try Preprocessor.centre(of: mask).z == 2)
    let larger = makeMask(grid) { x, y, z in y == 4 && x < [0, 3, 5, 2, 6, 1][z] }
    #expect(try Preprocessor.centre(of: larger).z == 4)
  }

  @Test func emptyMaskAndMismatchedGridsAreErrors() {
    let image = makeVolume(8, 8, 2) { _, _, _ in 0 }
    let empty = Mask(grid: image.grid, voxels: [UInt8](repeating: 0, count: image.grid.voxelCount))
    #expect(throws: PreprocessError.emptyMask) { try Preprocessor.modelInput(image: image, mask: empty) }
    let other = makeMask(Grid(nx: 8, ny: 9, nz: 2, spacing: SIMD3(1, 1, 3))) { _, _, _ in true }
    #expect { try Preprocessor.modelInput(image: image, mask: other) } throws: { error in
      guard case PreprocessError.gridMismatch = error else { return false }
      return "\(error)".contains("8×9×2")
    }
    let absurd = makeVolume(8, 8, 1, spacing: SIMD3(1e6, 1, 1)) { _, _, _ in 0 }
    #expect { try Preprocessor.modelInput(image: absurd, mask: makeMask(absurd.grid) { _, _, _ in true }) } throws: { error in
      if case PreprocessError.unsupportedSpacing = error { return true } else { return false }
    }
  }

  /// The fast path (resampling only what the crop needs) equals resampling whole slices with the
  /// README's formulas first, bit for bit, on random volumes and blob masks.
  @Test func fastPathEqualsWholeSliceOracle() throws {
    var random = SeededRandom(seed: 7)
    for trial in 0..<12 {
      let spacing = SIMD3(random.uniform(0.45, 2.2), random.uniform(0.45, 2.2), 2.0)
      let nx = 20 + random.index(60), ny = 20 + random.index(60), nz = 1 + random.index(5)
      let image = makeVolume(nx, ny, nz, spacing: spacing) { _, _, _ in Float(random.uniform(-400, 500)) }
      let cx = Double(random.index(nx)), cy = Double(random.index(ny)), radius = 1.5 + random.uniform(0, 6)
      let mask = makeMask(image.grid) { x, y, z in
        let dx = Double(x) - cx, dy = Double(y) - cy
        return dx * dx + dy * dy < radius * radius * Double(1 + (z * 7 + trial) % 3)
      }
      let input = try Preprocessor.modelInput(image: image, mask: mask)
      let oracle = NaivePreprocessor(image: image, mask: mask)
      #expect(input.centre == oracle.centre, "trial \(trial)")
      #expect(input.x == oracle.x, "trial \(trial)")
      #expect(input.mask == oracle.mask, "trial \(trial)")
    }
  }

  @Test func cropRegionOnTheOriginalGrid() throws {
    let grid = Grid(nx: 100, ny: 100, nz: 5, spacing: SIMD3(0.5, 2, 3))
    let region = try #require(Preprocessor.cropRegion(centre: (z: 2, y: 40, x: 50), on: grid))
    #expect(region.x0 == 18 / 0.5 && region.x1 == 81 / 0.5)
    #expect(region.y0 == 8 / 2.0 && region.y1 == 71 / 2.0)
    #expect(region.z0 == 1 && region.z1 == 3)
  }
}

/// Preprocessing written the slow, obvious way from the README: resample every slice, then
/// find z* and the centroid (in Double), then crop.
struct NaivePreprocessor {
  var x: [Float] = [], mask: [Float] = [], centre = (z: 0, y: 0, x: 0)

  init(image: Volume, mask source: Mask) {
    let g = image.grid
    func axis(_ n: Int, _ h: Double) -> [Double] {
      if abs(h - 1) <= 1e-3 { return (0..<n).map(Double.init) }
      let count = Int((Double(n - 1) * h + 1e-9).rounded(.down)) + 1
      return (0..<count).map { Double($0) / h }
    }
    let us = axis(g.nx, g.spacing.x), vs = axis(g.ny, g.spacing.y)
    var hu = [Float](repeating: 0, count: us.count * vs.count * g.nz)
    var m = [UInt8](repeating: 0, count: hu.count)
    for z in 0..<g.nz {
      for (r, v) in vs.enumerated() {
        for (c, u) in us.enumerated() {
          var i = Int(u.rounded(.down)), j = Int(v.rounded(.down))
          var tx = u - Double(i), ty = v - Double(j)
          if i >= g.nx - 1 { i = g.nx - 1; tx = 0 }
          if j >= g.ny - 1 { j = g.ny - 1; ty = 0 }
          let a = Double(image[i, j, z]), b = tx > 0 ? Double(image[i + 1, j, z]) : 0
          let cc = ty > 0 ? Double(image[i, j + 1, z]) : 0, d = tx > 0 && ty > 0 ? Double(image[i + 1, j + 1, z]) : 0
          let top = tx == 0 ? a : (1 - tx) * a + tx * b
          let bottom = tx == 0 ? cc : (1 - tx) * cc + tx * d
          let out = (z * vs.count + r) * us.count + c
          hu[out] = ty == 0 ? Float(top) : Float((1 - ty) * top + ty * bottom)
          m[out] = source[min(Int((u + 0.5).rounded(.down)), g.nx - 1), min(Int((v + 0.5).rounded(.down)), g.ny - 1), z]
        }
      }
    }
    let plane = us.count * vs.count
    let areas = (0..<g.nz).map { z in m[(z * plane)..<((z + 1) * plane)].reduce(0) { $0 + Int($1) } }
    let zStar = areas.firstIndex(of: areas.max() ?? 0) ?? 0
    var sy = 0.0, sx = 0.0
    for r in 0..<vs.count { for c in 0..<us.count where m[zStar * plane + r * us.count + c] != 0 { sy += Double(r); sx += Double(c) } }
    let area = Double(areas[zStar])
    centre = (zStar, Int((sy / area + 0.5).rounded(.down)), Int((sx / area + 0.5).rounded(.down)))
    let side = ModelInput.side
    x = [Float](repeating: -1, count: ModelInput.count)
    mask = [Float](repeating: 0, count: ModelInput.count)
    for ch in 0..<3 {
      let z = zStar - 1 + ch
      for r in 0..<side {
        for c in 0..<side {
          let row = centre.y - 32 + r, column = centre.x - 32 + c
          guard (0..<g.nz).contains(z), (0..<vs.count).contains(row), (0..<us.count).contains(column) else { continue }
          let from = z * plane + row * us.count + column
          x[(ch * side + r) * side + c] = (min(max(hu[from], -160), 240) - 40) / 200
          mask[(ch * side + r) * side + c] = Float(m[from])
        }
      }
    }
  }
}
