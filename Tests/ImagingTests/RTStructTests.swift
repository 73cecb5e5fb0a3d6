// Tests of RTSTRUCT → mask: squares and an annulus with a hole on known pixels, contours placed
// by reference and by position, random polygons against a brute-force even-odd oracle, other
// orientations, frame-of-reference checks and the ROI name patterns.
import Testing
import Common
import Imaging

@Suite struct RTStructTests {
  static func spec() -> CTSampleSpec {
    var spec = CTSampleSpec()
    spec.rows = 12; spec.columns = 10; spec.slices = 5
    return spec
  }

  static func series(_ spec: CTSampleSpec) throws -> CTSeries {
    let headers = try DICOMSamples.ctImages(spec).enumerated().map { k, image in
      try CTImageHeader(DICOMReader.parse(DICOMWriter.encode(image), path: "slice-\(k).dcm"))
    }
    return try CTSeries(headers)
  }

  /// The structure set written as a file and parsed back.
  static func structureSet(_ spec: CTSampleSpec, _ rois: [(name: String, contours: [DICOMSamples.Contour])],
                           frame: String? = nil, syntax: DICOMTransferSyntax = .explicitLittle) throws -> RTStructureSet {
    let set = DICOMSamples.rtStructure(spec, rois: rois, frameOfReferenceUID: frame)
    let bytes = DICOMWriter.encode(set, options: DICOMWriteOptions(transferSyntax: syntax, undefinedLengths: true))
    return try RTStructureSet(DICOMReader.parse(bytes, path: "rtstruct.dcm"))
  }

  /// Voxels set in the mask, as (column, row, slice) of the axial sample (canonical = source order).
  static func voxels(_ mask: Mask) -> Set<[Int]> {
    var set: Set<[Int]> = []
    let g = mask.grid
    for z in 0..<g.nz { for y in 0..<g.ny { for x in 0..<g.nx where mask[x, y, z] == 1 { set.insert([x, y, z]) } } }
    return set
  }

  static func box(_ c0: Int, _ c1: Int, _ r0: Int, _ r1: Int, slice k: Int) -> Set<[Int]> {
    var set: Set<[Int]> = []
    for r in r0..<r1 { for c in c0..<c1 { set.insert([c, r, k]) } }
    return set
  }

  @Test(arguments: [DICOMTransferSyntax.implicitLittle, .explicitLittle, .explicitBig])
  func squaresFillTheirPixels(syntax: DICOMTransferSyntax) throws {
    let spec = Self.spec()
    let rs = try Self.structureSet(spec, [("GTV", [
      DICOMSamples.square(spec, slice: 1, columns: 2, 6, rows: 3, 8),
      DICOMSamples.square(spec, slice: 2, columns: 1, 4, rows: 1, 3),
    ])], syntax: syntax)
    #expect(rs.rois.map(\.name) == ["GTV"])
    #expect(rs.rois[0].interpretedType == "GTV")
    #expect(rs.frameOfReferenceUIDs == [spec.frameOfReferenceUID])
    #expect(rs.referencedSeriesUIDs == [spec.seriesUID])
    let result = try RTStructRasterizer.mask(rs.rois, of: rs, on: Self.series(spec))
    #expect(Self.voxels(result.mask) == Self.box(2, 6, 3, 8, slice: 1).union(Self.box(1, 4, 1, 3, slice: 2)))
    #expect(result.contoursUsed == 2 && result.warnings.isEmpty)
  }

  @Test func anAnnulusHasItsHole() throws {
    let spec = Self.spec()
    let rs = try Self.structureSet(spec, [("GTVp", [
      DICOMSamples.square(spec, slice: 3, columns: 1, 9, rows: 1, 11),
      DICOMSamples.square(spec, slice: 3, columns: 3, 6, rows: 4, 7),
    ])])
    let mask = try RTStructRasterizer.mask(rs.rois, of: rs, on: Self.series(spec)).mask
    let expected = Self.box(1, 9, 1, 11, slice: 3).subtracting(Self.box(3, 6, 4, 7, slice: 3))
    #expect(Self.voxels(mask) == expected)
    #expect(expected.count == 80 - 9)
  }

  @Test func contoursWithoutImageReferencesArePlacedByPosition() throws {
    let spec = Self.spec()
    var near = DICOMSamples.square(spec, slice: 2, columns: 2, 5, rows: 2, 5, reference: false)
    near.points = near.points.map { $0 + SIMD3(0, 0, 0.9) }          // 0.9 mm off slice 2: within half of 2 mm
    var far = DICOMSamples.square(spec, slice: 4, columns: 2, 5, rows: 2, 5, reference: false)
    far.points = far.points.map { $0 + SIMD3(0, 0, 1.2) }            // beyond the last slice by more than 1 mm
    var stale = DICOMSamples.square(spec, slice: 0, columns: 0, 2, rows: 0, 2)
    stale.imageUID = "2.25.404"                                       // names an image not in the series
    let plain = DICOMSamples.square(spec, slice: 1, columns: 6, 9, rows: 9, 12, reference: false)
    let rs = try Self.structureSet(spec, [("GTV", [near, far, stale, plain])])
    let result = try RTStructRasterizer.mask(rs.rois, of: rs, on: Self.series(spec))
    let expected = Self.box(2, 5, 2, 5, slice: 2).union(Self.box(0, 2, 0, 2, slice: 0)).union(Self.box(6, 9, 9, 12, slice: 1))
    #expect(Self.voxels(result.mask) == expected)
    #expect(result.contoursUsed == 3)
    #expect(result.warnings.contains { $0.contains("reference images not in the series") })
    #expect(result.warnings.contains { $0.contains("half a slice spacing") })
  }

  @Test func nonClosedContoursAreIgnoredWithAWarning() throws {
    let spec = Self.spec()
    var open = DICOMSamples.square(spec, slice: 1, columns: 2, 6, rows: 3, 8)
    open.geometricType = "OPEN_PLANAR"
    var point = DICOMSamples.square(spec, slice: 1, columns: 2, 6, rows: 3, 8)
    point.geometricType = "POINT"
    point.points = [point.points[0]]
    let rs = try Self.structureSet(spec, [("GTV", [open, point, DICOMSamples.square(spec, slice: 0, columns: 0, 1, rows: 0, 1)])])
    let result = try RTStructRasterizer.mask(rs.rois, of: rs, on: Self.series(spec))
    #expect(Self.voxels(result.mask) == [[0, 0, 0]])
    #expect(result.warnings.contains { $0.contains("OPEN_PLANAR") } && result.warnings.contains { $0.contains("POINT") })
  }

  @Test func randomPolygonsMatchABruteForceEvenOddOracle() {
    var random = SeededRandom(seed: 6)
    var checked = 0
    for _ in 0..<200 {
      let rows = 1 + random.index(30), columns = 1 + random.index(30)
      var polygons: [[SIMD2<Double>]] = []
      for _ in 0..<(1 + random.index(3)) {
        polygons.append((0..<(3 + random.index(7))).map { _ in
          SIMD2(random.uniform(-3, Double(columns) + 3), random.uniform(-3, Double(rows) + 3))
        })
      }
      var filled = [[Bool]](repeating: [Bool](repeating: false, count: columns), count: rows)
      RTStructRasterizer.fillEvenOdd(polygons, rows: rows, columns: columns) { row, first, last in
        for c in first...last {
          #expect(!filled[row][c], "a pixel was filled twice")
          filled[row][c] = true
        }
      }
      // Oracle: count edges crossed by a ray from the pixel centre towards +x.
      for r in 0..<rows {
        for c in 0..<columns {
          let p = SIMD2(Double(c), Double(r))
          var inside = false
          for polygon in polygons {
            for i in polygon.indices {
              let a = polygon[i], b = polygon[(i + 1) % polygon.count]
              if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)
                if p.x < x { inside.toggle() }
              }
            }
          }
          #expect(filled[r][c] == inside, "pixel (\(c), \(r))")
          checked += 1
        }
      }
    }
    print("even-odd fill agreed with the brute-force oracle on \(checked) pixel centres")
  }

  @Test(arguments: 0..<5)
  func masksFollowTheImageOrientation(orientation: Int) throws {
    var spec = Self.spec()
    (_, spec.rowDirection, spec.columnDirection) = DICOMSeriesTests.orientations[orientation]
    let rs = try Self.structureSet(spec, [("GTV", [
      DICOMSamples.square(spec, slice: 1, columns: 2, 6, rows: 3, 8),
      DICOMSamples.square(spec, slice: 3, columns: 0, 3, rows: 9, 12, reference: false),
    ])])
    let series = try Self.series(spec)
    let mask = try RTStructRasterizer.mask(rs.rois, of: rs, on: series).mask
    // The world positions of the mask's voxels are exactly those of the intended pixels.
    func key(_ p: SIMD3<Double>) -> [Int] { [Int((p.x * 1000).rounded()), Int((p.y * 1000).rounded()), Int((p.z * 1000).rounded())] }
    var expected: Set<[Int]> = []
    for voxel in Self.box(2, 6, 3, 8, slice: 1).union(Self.box(0, 3, 9, 12, slice: 3)) {
      expected.insert(key(spec.position(column: voxel[0], row: voxel[1], slice: voxel[2])))
    }
    let actual = Set(Self.voxels(mask).map { key(DICOMSeriesTests.world(mask.grid, $0[0], $0[1], $0[2])) })
    #expect(actual == expected)
    #expect(mask.grid == series.grid)
  }

  @Test func frameOfReferenceMustMatch() throws {
    let spec = Self.spec()
    let rs = try Self.structureSet(spec, [("GTV", [DICOMSamples.square(spec, slice: 1, columns: 2, 6, rows: 3, 8)])], frame: "2.25.31337")
    let error = #expect(throws: FileError.self) { try RTStructRasterizer.mask(rs.rois, of: rs, on: Self.series(spec)) }
    #expect(error?.problem.contains("frame of reference 2.25.31337") == true)
  }

  @Test func defaultPatternChoosesPrimaryGTVs() throws {
    let selector = try ROISelector()
    let primary = ["GTV", "gtv", "GTVp", "GTV-T", "GTV_primary", "GTV 1", "GTV-P", "GTV primaire", "GTVt", "GTV1", " GTV ", "GTV_Primary_Tumor"]
    let others = ["GTVn", "GTV-N", "GTV_N1", "GTV nodal", "GTV 2", "GTV_LN", "PTV", "CTV", "ITV", "GTV+5mm", "zGTV", "PTV_GTV", "Spinal cord"]
    for name in primary { #expect(ROISelector.matches(name, pattern: selector.patterns[0]), "\(name)") }
    for name in others { #expect(!ROISelector.matches(name, pattern: selector.patterns[0]), "\(name)") }
  }

  @Test func patternsAreTriedInOrderAndUniteTheirMatches() throws {
    let contour = [DICOMSamples.Contour(points: [.zero, SIMD3(1, 0, 0), SIMD3(0, 1, 0)], imageUID: nil)]
    let rois = ["GTV 1", "GTV 2", "GTVn", "Brainstem", "Empty GTV"].enumerated().map { index, name in
      RTROI(number: index, name: name, frameOfReferenceUID: nil, interpretedType: nil,
            contours: name == "Empty GTV" ? [] : contour.map { RTContour(geometricType: $0.geometricType, points: $0.points, referencedSOPInstanceUIDs: []) })
    }
    let selector = try ROISelector(patterns: ["^nothing$", "^gtv [0-9]$", "GTV"])
    let chosen = try #require(selector.select(rois))
    #expect(chosen.rois.map(\.name) == ["GTV 1", "GTV 2"])
    #expect(chosen.pattern == "^gtv [0-9]$")
    #expect(try ROISelector(patterns: ["^Empty"]).select(rois) == nil)      // no contours: never chosen
    #expect(throws: ROIPatternError.self) { try ROISelector(patterns: ["GTV("]) }
  }

  @Test func unitedROIsFromTheSelector() throws {
    let spec = Self.spec()
    let rs = try Self.structureSet(spec, [
      ("GTV", [DICOMSamples.square(spec, slice: 1, columns: 0, 2, rows: 0, 2)]),
      ("GTVp", [DICOMSamples.square(spec, slice: 1, columns: 1, 3, rows: 1, 3)]),
      ("GTVn", [DICOMSamples.square(spec, slice: 1, columns: 8, 10, rows: 8, 10)]),
    ])
    let chosen = try #require(try ROISelector().select(rs.rois))
    #expect(chosen.rois.map(\.name) == ["GTV", "GTVp"])
    let mask = try RTStructRasterizer.mask(chosen.rois, of: rs, on: Self.series(spec)).mask
    #expect(Self.voxels(mask) == Self.box(0, 2, 0, 2, slice: 1).union(Self.box(1, 3, 1, 3, slice: 1)))
  }
}
