// SyntheticPhantom: turns a SyntheticPatient into its CT volume and GTV mask: the neck painted slice
// by slice with partial-volume edges, the tumour composited in 3-D (mask = voxel centres inside its
// surface), then correlated noise, rounded to integer HU like a scanner's output.

import Common
import Dispatch

package enum SyntheticPhantom {
  /// The patient's CT (HU) and GTV mask. For tests: with `includeTumour` false the tumour is left
  /// out (the anatomy it displaced stays displaced) and the mask is empty, the background the
  /// tumour was painted over; with `noise` false no noise is added.
  package static func volumes(for patient: SyntheticPatient, seed: UInt64, includeTumour: Bool = true,
                              noise: Bool = true) -> (image: Volume, mask: Mask) {
    let grid = SyntheticGeometry.grid
    var hu = [Float](repeating: -1000, count: grid.voxelCount)
    var mask = [UInt8](repeating: 0, count: grid.voxelCount)
    // Slices are independent: paint them on both cores (each writes only its own slice).
    hu.withUnsafeMutableBufferPointer { buffer in
      let slices = SendableBuffer(buffer)
      DispatchQueue.concurrentPerform(iterations: grid.nz) { k in
        let layout = patient.anatomy.layout(z: Double(k) * grid.spacing.z, tumour: patient.tumour, nodes: patient.nodes)
        paint(layout, into: slices.pointer + k * grid.sliceCount, grid: grid)
      }
    }
    if includeTumour {
      compositeTumour(patient, seed: seed, into: &hu, mask: &mask, grid: grid)
    }
    if noise {
      addNoise(&hu, sigma: patient.anatomy.noiseSigma, random: SyntheticPatient.noiseStream(seed: seed, index: patient.index), grid: grid)
    }
    for i in hu.indices { hu[i] = min(3071, max(-1024, hu[i].rounded())) }
    return (Volume(grid: grid, voxels: hu), Mask(grid: grid, voxels: mask))
  }

  /// A buffer shared by concurrent workers that write disjoint parts of it.
  struct SendableBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ buffer: UnsafeMutableBufferPointer<Float>) { pointer = buffer.baseAddress! }
  }

  /// Paints one slice (nx × ny values at `slice`, initially air): the neck outline's skin, fat and
  /// platysma, then each structure blended by its coverage of every pixel (structures of the deep
  /// neck only inside the subcutaneous fat).
  static func paint(_ layout: SliceLayout, into slice: UnsafeMutablePointer<Float>, grid: Grid) {
    let sx = grid.spacing.x, sy = grid.spacing.y
    let outline = layout.outline
    var deep = [Float](repeating: 0, count: grid.sliceCount)
    let skin = NeckOutline.skinThickness, platysma = NeckOutline.platysmaThickness
    let i0 = max(0, Int(((outline.cx - outline.a) / sx).rounded(.down)) - 1)
    let i1 = min(grid.nx - 1, Int(((outline.cx + outline.a) / sx).rounded(.up)) + 1)
    let j0 = max(0, Int(((outline.cy - outline.b) / sy).rounded(.down)) - 1)
    let j1 = min(grid.ny - 1, Int(((outline.cy + outline.b) / sy).rounded(.up)) + 1)
    if i0 <= i1 && j0 <= j1 {
      for j in j0...j1 {
        let y = Double(j) * sy
        let anterior = min(1, max(0, 0.5 + (outline.cy - 5 - y) / 6))   // platysma fades out posteriorly
        for i in i0...i1 {
          let d = PhantomShape.neckDistance(Double(i) * sx - outline.cx, y - outline.cy, outline.a, outline.b)
          guard d < 0.5 else { continue }
          var value = Double(slice[j * grid.nx + i])
          value += (outline.skinHU - value) * PhantomShape.clampCoverage(-d)
          value += (outline.fatHU - value) * PhantomShape.clampCoverage(-(d + skin))
          let band = PhantomShape.clampCoverage(-(d + skin + outline.fatThickness))
            - PhantomShape.clampCoverage(-(d + skin + outline.fatThickness + platysma))
          value += (outline.muscleHU - value) * max(0, band) * anterior
          slice[j * grid.nx + i] = Float(value)
          deep[j * grid.nx + i] = Float(PhantomShape.clampCoverage(-(d + outline.deepInset)))
        }
      }
    }
    for structure in layout.structures {
      let (x0, y0, x1, y1) = structure.shape.bounds
      let i0 = max(0, Int((x0 / sx).rounded(.down)) - 1), i1 = min(grid.nx - 1, Int((x1 / sx).rounded(.up)) + 1)
      let j0 = max(0, Int((y0 / sy).rounded(.down)) - 1), j1 = min(grid.ny - 1, Int((y1 / sy).rounded(.up)) + 1)
      guard i0 <= i1, j0 <= j1 else { continue }
      let value = structure.hu
      for j in j0...j1 {
        let y = Double(j) * sy
        for i in i0...i1 {
          var f = structure.alpha * structure.shape.coverage(x: Double(i) * sx, y: y)
          if structure.deep { f *= Double(deep[j * grid.nx + i]) }
          if f > 0 {
            let old = Double(slice[j * grid.nx + i])
            slice[j * grid.nx + i] = Float(old + (value - old) * f)
          }
        }
      }
    }
  }

  /// The tumour: over a box around it, signed distances give the partial-volume coverage and the
  /// GTV (distance ≤ 0); the interior HU comes from TumourInterior with a texture field of unit
  /// variance over the GTV (white noise from the texture stream, blurred ~2.5 mm in-plane).
  static func compositeTumour(_ patient: SyntheticPatient, seed: UInt64, into hu: inout [Float], mask: inout [UInt8], grid: Grid) {
    let shape = patient.tumour
    let spacing = grid.spacing
    let reach = shape.reach + 2
    func range(_ centre: Double, _ step: Double, _ count: Int) -> ClosedRange<Int> {
      max(0, Int(((centre - reach) / step).rounded(.down)))...min(count - 1, Int(((centre + reach) / step).rounded(.up)))
    }
    let xs = range(shape.centre.x, spacing.x, grid.nx), ys = range(shape.centre.y, spacing.y, grid.ny)
    let zs = range(shape.centre.z, spacing.z, grid.nz)
    let bx = xs.count, by = ys.count, bz = zs.count
    let boxCount = bx * by * bz
    var coverage = [Float](repeating: 0, count: boxCount)
    var inMask = [Bool](repeating: false, count: boxCount)
    var necrosis = [Float](repeating: 0, count: boxCount)
    for (c, k) in zs.enumerated() {
      for (b, j) in ys.enumerated() {
        for (a, i) in xs.enumerated() {
          let point = SIMD3(Double(i) * spacing.x, Double(j) * spacing.y, Double(k) * spacing.z)
          let (distance, width) = shape.signedDistance(point)
          let f = min(1, max(0, 0.5 - distance / width))
          guard f > 0 else { continue }
          let index = (c * by + b) * bx + a
          coverage[index] = Float(f)
          inMask[index] = distance <= 0
          necrosis[index] = Float(patient.interiorTexture.necrosis(at: point - shape.centre))
        }
      }
    }
    var texture = CorrelatedNoise.field(nx: bx, ny: by, nz: bz, inPlanePasses: 2, acrossSlices: true,
                                        random: SyntheticPatient.textureStream(seed: seed, index: patient.index))
    CorrelatedNoise.standardize(&texture, over: inMask)
    let tissue = patient.interiorTexture.tissue(texture: texture, necrosis: necrosis, inMask: inMask)
    for (c, k) in zs.enumerated() {
      for (b, j) in ys.enumerated() {
        for (a, i) in xs.enumerated() {
          let index = (c * by + b) * bx + a
          let f = coverage[index]
          guard f > 0 else { continue }
          let voxel = grid.index(x: i, y: j, z: k)
          hu[voxel] += (tissue[index] - hu[voxel]) * f
          if inMask[index] { mask[voxel] = 1 }
        }
      }
    }
  }

  /// Adds scanner-like noise: per slice, white noise blurred by [1 2 1]/4 along x and y (a grain of
  /// about a pixel, as reconstruction kernels give), scaled to standard deviation `sigma` HU.
  static func addNoise(_ hu: inout [Float], sigma: Double, random: SeededRandom, grid: Grid) {
    let noise = CorrelatedNoise.field(nx: grid.nx, ny: grid.ny, nz: grid.nz, inPlanePasses: 1, acrossSlices: false,
                                      random: random)
    let scale = Float(sigma) / CorrelatedNoise.standardDeviation(inPlanePasses: 1, acrossSlices: false)
    for i in hu.indices { hu[i] += noise[i] * scale }
  }
}
