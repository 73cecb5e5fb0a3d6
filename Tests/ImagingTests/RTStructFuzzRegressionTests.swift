// Regression tests for what the `rtstruct` fuzz target found (Docs/FUZZING.md): contours the
// rasteriser must survive — far outside the image, with non-finite crossings, or empty.

import Common
import Imaging
import Testing

@Suite struct RTStructFuzzRegressionTests {
  /// Found by the acceptance run (after 21 295 executions): the even-odd fill converted row and
  /// column bounds to Int after clamping them on one side only, so a contour point far outside
  /// the image (here ~1e300 mm) trapped; an empty polygon was indexed at -1, and a crossing
  /// computed as NaN (∞ − ∞) trapped too. Bounds are now clamped on both sides first.
  @Test func contoursFarOutsideTheImageFillWithoutTrapping() {
    let far = 1e300
    // Empty, and a square far larger than the image: every row filled across.
    var filled: [(Int, Int, Int)] = []
    RTStructRasterizer.fillEvenOdd([[], [SIMD2(-far, -far), SIMD2(far, -far), SIMD2(far, far), SIMD2(-far, far)]], rows: 4, columns: 5) {
      filled.append(($0, $1, $2))
    }
    #expect(filled.map { [$0.0, $0.1, $0.2] } == [[0, 0, 4], [1, 0, 4], [2, 0, 4], [3, 0, 4]])
    // Crossings near the largest finite Double: any runs stay inside the image.
    var extreme: [(Int, Int, Int)] = []
    let big = Double.greatestFiniteMagnitude
    RTStructRasterizer.fillEvenOdd([[SIMD2(-big, 1.5), SIMD2(big, 1.5), SIMD2(0, 3.5)], [SIMD2(-far, 0), SIMD2(far, 0), SIMD2(far, 3)]],
                                   rows: 4, columns: 5) { extreme.append(($0, $1, $2)) }
    #expect(extreme.allSatisfy { $0.0 >= 0 && $0.0 < 4 && $0.1 >= 0 && $0.2 < 5 && $0.1 <= $0.2 })
    // A unit square inside the image still fills what it covers.
    var square: [(Int, Int, Int)] = []
    RTStructRasterizer.fillEvenOdd([[SIMD2(0.5, 0.5), SIMD2(2.5, 0.5), SIMD2(2.5, 2.5), SIMD2(0.5, 2.5)]], rows: 4, columns: 5) {
      square.append(($0, $1, $2))
    }
    #expect(square.map { [$0.0, $0.1, $0.2] } == [[1, 1, 2], [2, 1, 2]])
  }

  /// The minimised input of the finding, through the target's path: parse, structure set,
  /// rasterise onto the sample series, straight and tilted. It must give a mask or an error.
  @Test func theFindingRasterisesOrIsRefused() throws {
    let input = try #require(fuzzInputs("rtstruct").first { $0.name.hasSuffix("/contour-far-outside-the-image") })
    var tilted = CTSampleSpec()
    tilted.shearPerSlice = SIMD3(0, 0.5, 0)
    tilted.rowDirection = SIMD3(0.6, 0.8, 0)
    tilted.columnDirection = SIMD3(-0.8, 0.6, 0)
    var outcomes = 0
    for spec in [CTSampleSpec(), tilted] {
      let headers = try DICOMSamples.ctImages(spec).map { try CTImageHeader(DICOMReader.parse(DICOMWriter.encode($0), path: "ct.dcm")) }
      let series = try CTSeries(headers)
      let file = try DICOMReader.parse(input.bytes, path: input.name)
      let set = try RTStructureSet(file)
      if let result = try? RTStructRasterizer.mask(set.rois, of: set, on: series) {
        #expect(result.mask.grid == series.grid)
        #expect(result.mask.voxels.allSatisfy { $0 <= 1 })
      }
      outcomes += 1
    }
    #expect(outcomes == 2)
  }
}
