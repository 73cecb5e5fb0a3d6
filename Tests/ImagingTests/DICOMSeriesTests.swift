// Tests of CT series assembly and HU volumes: every voxel of the canonical volume must hold the HU
// value the sample put at the patient position the volume's affine gives it, in each orientation,
// signedness, bit layout and transfer syntax; sorting, spacing, duplicates and tilt.
import Testing
import Common
import Imaging

@Suite struct DICOMSeriesTests {
  /// The sample's images written in `syntax` and parsed back, as (header, file) pairs.
  static func files(_ spec: CTSampleSpec, syntax: DICOMTransferSyntax = .explicitLittle,
                    hu: (SIMD3<Double>) -> Double = CTSampleSpec.hu) throws -> [DICOMFile] {
    let images = DICOMSamples.ctImages(spec, hu: hu, encapsulateRLE: syntax == .rleLossless)
    return try images.enumerated().map { k, image in
      let bytes = DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: syntax))
      return try DICOMReader.parse(bytes, path: "slice-\(k).dcm")
    }
  }

  /// Assembles the files (in the given order) and reads the volume from them.
  static func volume(_ files: [DICOMFile]) throws -> (CTSeries, Volume) {
    let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0) })
    let series = try CTSeries(files.map(CTImageHeader.init))
    let volume = try series.volume { header throws(FileError) in
      guard let file = byPath[header.path] else { throw FileError(path: header.path, problem: "missing") }
      return file
    }
    return (series, volume)
  }

  /// World position of canonical voxel (x, y, z) by the grid's affine.
  static func world(_ grid: Grid, _ x: Int, _ y: Int, _ z: Int) -> SIMD3<Double> {
    let a = grid.affine
    let v = SIMD3(Double(x), Double(y), Double(z))
    return SIMD3(a[0] * v.x + a[1] * v.y + a[2] * v.z + a[3],
                 a[4] * v.x + a[5] * v.y + a[6] * v.z + a[7],
                 a[8] * v.x + a[9] * v.y + a[10] * v.z + a[11])
  }

  /// Every voxel holds `expected(world position)`; returns the largest difference.
  @discardableResult
  static func checkEveryVoxel(_ volume: Volume, expected: (SIMD3<Double>) -> Double) -> Double {
    var worst = 0.0
    let g = volume.grid
    for z in 0..<g.nz { for y in 0..<g.ny { for x in 0..<g.nx {
      worst = max(worst, abs(Double(volume[x, y, z]) - expected(world(g, x, y, z))))
    } } }
    #expect(worst == 0, "largest HU difference \(worst)")
    return worst
  }

  /// Orientations: axial, axial with flipped rows, sagittal, coronal, oblique (20° about z).
  static let orientations: [(String, SIMD3<Double>, SIMD3<Double>)] = [
    ("axial", SIMD3(1, 0, 0), SIMD3(0, 1, 0)),
    ("axial mirrored", SIMD3(-1, 0, 0), SIMD3(0, 1, 0)),
    ("sagittal", SIMD3(0, 1, 0), SIMD3(0, 0, -1)),
    ("coronal", SIMD3(1, 0, 0), SIMD3(0, 0, -1)),
    ("oblique", SIMD3(0.9396926207859084, 0.3420201433256687, 0), SIMD3(-0.3420201433256687, 0.9396926207859084, 0)),
  ]

  @Test(arguments: 0..<5)
  func everyOrientationLandsInCanonicalLPS(orientation: Int) throws {
    let (name, row, column) = Self.orientations[orientation]
    var spec = CTSampleSpec()
    spec.rowDirection = row
    spec.columnDirection = column
    let (series, volume) = try Self.volume(Self.files(spec).shuffled())
    let worst = Self.checkEveryVoxel(volume, expected: CTSampleSpec.hu)
    print("orientation \(name): largest HU difference \(worst)")
    // Canonical axes point to +L, +P, +S: the affine's diagonal dominates and is positive.
    let a = volume.grid.affine
    for w in 0..<3 {
      let column = SIMD3(a[w], a[4 + w], a[8 + w])
      #expect(column[w] > 0 && abs(column[w]) >= abs(column[(w + 1) % 3]) && abs(column[w]) >= abs(column[(w + 2) % 3]), "\(name) axis \(w)")
    }
    #expect(volume.grid.voxelCount == spec.rows * spec.columns * spec.slices)
    #expect(series.sliceSpacing == spec.sliceSpacing)
    #expect(series.warnings.isEmpty)
  }

  @Test func axialSeriesKeepsItsArrayAndPixelSpacingRowFirst() throws {
    let spec = CTSampleSpec()
    let (series, volume) = try Self.volume(Self.files(spec))
    let g = volume.grid
    #expect((g.nx, g.ny, g.nz) == (spec.columns, spec.rows, spec.slices))
    // PixelSpacing lists the row spacing (along y) first.
    #expect(g.spacing == SIMD3(spec.columnSpacing, spec.rowSpacing, spec.sliceSpacing))
    #expect(g.affine == [0.5, 0, 0, -10, 0, 0.75, 0, 20, 0, 0, 2, -30, 0, 0, 0, 1])
    // Sorted by position although InstanceNumbers run the other way.
    #expect(series.slices.map(\.instanceNumber) == [4, 3, 2, 1])
    #expect(volume[0, 0, 0] == -240)
  }

  /// Bit layouts: (signed, bitsAllocated, bitsStored, highBit, slope, intercept).
  static let layouts: [(Bool, Int, Int, Int, Double, Double)] = [
    (true, 16, 16, 15, 1, 0),
    (true, 16, 12, 11, 1, 0),          // signed 12-bit: sign bit 11, garbage above
    (false, 16, 12, 11, 1, -1024),     // the common CT layout, garbage in bits 12–15
    (false, 16, 16, 15, 2, -1000),     // slope 2
    (false, 16, 12, 15, 1, -1024),     // bits stored at the top of the cell
    (true, 32, 20, 19, 0.5, 0),
  ]

  @Test(arguments: 0..<6)
  func storedValuesBecomeHUWithTheRightSignedness(layout: Int) throws {
    let (signed, allocated, stored, high, slope, intercept) = Self.layouts[layout]
    var spec = CTSampleSpec()
    spec.signed = signed
    spec.bitsAllocated = allocated; spec.bitsStored = stored; spec.highBit = high
    spec.rescaleSlope = slope; spec.rescaleIntercept = intercept
    let expected: (SIMD3<Double>) -> Double = { slope * ((CTSampleSpec.hu(at: $0) - intercept) / slope).rounded() + intercept }
    let (_, volume) = try Self.volume(Self.files(spec))
    Self.checkEveryVoxel(volume, expected: expected)
    if signed { #expect(volume.voxels.contains { $0 < 0 }) }
  }

  @Test func eightBitImagesDecode() throws {
    var spec = CTSampleSpec()
    spec.signed = false
    spec.bitsAllocated = 8; spec.bitsStored = 8; spec.highBit = 7
    spec.rescaleIntercept = -100
    let hu: (SIMD3<Double>) -> Double = { (2 * $0.x + 2 * $0.y + $0.z).rounded() }  // −100 … 155 here
    for syntax in [DICOMTransferSyntax.explicitLittle, .explicitBig, .rleLossless] {
      let (_, volume) = try Self.volume(Self.files(spec, syntax: syntax, hu: hu))
      Self.checkEveryVoxel(volume, expected: hu)
    }
  }

  @Test(arguments: [DICOMTransferSyntax.implicitLittle, .explicitLittle, .explicitBig, .deflatedExplicitLittle, .rleLossless])
  func everyTransferSyntaxGivesTheSameVolume(syntax: DICOMTransferSyntax) throws {
    for signed in [true, false] {
      var spec = CTSampleSpec()
      spec.signed = signed
      if !signed { spec.bitsStored = 12; spec.highBit = 11; spec.rescaleIntercept = -1024 }
      let (_, volume) = try Self.volume(Self.files(spec, syntax: syntax))
      Self.checkEveryVoxel(volume, expected: CTSampleSpec.hu)
    }
  }

  @Test func gantryTiltIsAWarningAndTheShearIsKeptExactly() throws {
    var spec = CTSampleSpec()
    spec.shearPerSlice = SIMD3(0, 0.5, 0)
    spec.slices = 6
    let (series, volume) = try Self.volume(Self.files(spec))
    #expect(series.warnings.count == 1)
    #expect(series.warnings.first?.contains("gantry tilt") == true)
    Self.checkEveryVoxel(volume, expected: CTSampleSpec.hu)
    // Spacing is the length of the affine's slice column: from one slice origin to the next.
    let step = (spec.sliceSpacing * spec.sliceSpacing + 0.25).squareRoot()
    #expect(abs(volume.grid.spacing.z - step) < 1e-12)
  }

  @Test func smallSpacingJitterWarnsAndGapsAreRefused() throws {
    var spec = CTSampleSpec()
    spec.slices = 6
    var files = try Self.files(spec)
    // Move slice 3 by 0.1 mm (5% of the spacing): a warning.
    var jittered = DICOMSamples.ctImages(spec)
    var moved = spec.sliceOrigin(3)
    moved.z += 0.1
    jittered[3].set(.imagePositionPatient, decimals: [moved.x, moved.y, moved.z])
    files[3] = try DICOMReader.parse(DICOMWriter.encode(jittered[3]), path: "slice-3.dcm")
    let series = try CTSeries(files.map(CTImageHeader.init))
    #expect(series.warnings.contains { $0.contains("slice spacing varies") })
    #expect(series.sliceSpacing == spec.sliceSpacing)
    // A missing slice doubles one gap: refused, naming the files on either side.
    var gapped = try Self.files(spec)
    gapped.remove(at: 2)
    let error = #expect(throws: FileError.self) { try CTSeries(gapped.map(CTImageHeader.init)) }
    #expect(error?.problem.contains("not uniform") == true)
    #expect(error?.problem.contains("slice-1.dcm") == true && error?.problem.contains("slice-3.dcm") == true)
  }

  @Test func duplicatePositions() throws {
    let spec = CTSampleSpec()
    var files = try Self.files(spec)
    // The same image twice: one copy is used, with a warning.
    var copy = files[1]
    copy.path = "copy-of-slice-1.dcm"
    let series = try CTSeries((files + [copy]).map(CTImageHeader.init))
    #expect(series.slices.count == spec.slices)
    #expect(series.warnings.contains { $0.contains("repeats image") })
    // Another image at the same position: refused.
    var other = DICOMSamples.ctImages(spec)[1]
    other.set(.sopInstanceUID, string: "2.25.999")
    files.append(try DICOMReader.parse(DICOMWriter.encode(other), path: "other.dcm"))
    let error = #expect(throws: FileError.self) { try CTSeries(files.map(CTImageHeader.init)) }
    #expect(error?.problem.contains("same position") == true)
  }

  @Test func inconsistentSeriesAreRefused() throws {
    let spec = CTSampleSpec()
    func refusal(_ change: (inout DICOMDataSet) -> Void) throws -> FileError? {
      var images = DICOMSamples.ctImages(spec)
      change(&images[2])
      let files = try images.enumerated().map { try DICOMReader.parse(DICOMWriter.encode($1), path: "s\($0).dcm") }
      return #expect(throws: FileError.self) { try CTSeries(files.map(CTImageHeader.init)) }
    }
    #expect(try refusal { $0.set(.rows, integers: [7]) }?.problem.contains("pixels") == true)
    #expect(try refusal { $0.set(.imageOrientationPatient, decimals: [1, 0, 0, 0, 0.8, -0.6]) }?.problem.contains("orientation") == true)
    #expect(try refusal { $0.set(.pixelSpacing, decimals: [0.9, 0.5]) }?.problem.contains("pixel spacing") == true)
    #expect(try refusal { $0.set(.frameOfReferenceUID, string: "2.25.77") }?.problem.contains("frame of reference") == true)
    #expect(try refusal { $0.set(.seriesInstanceUID, string: "2.25.78") }?.problem.contains("belongs to series") == true)
    // A slice off the line of the others (not a tilt: only one moves sideways).
    #expect(try refusal { image in
      var p = spec.sliceOrigin(2); p.x += 3
      image.set(.imagePositionPatient, decimals: [p.x, p.y, p.z])
    }?.problem.contains("off the line") == true)
    // One slice is not a volume.
    let single = try Self.files(spec).prefix(1)
    #expect(throws: FileError.self) { try CTSeries(single.map(CTImageHeader.init)) }
  }
}
