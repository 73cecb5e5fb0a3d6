// Fuzz target `rtstruct`: the RTSTRUCT path of `fgf import dicom` on any bytes — parse, read the
// structure set (ROIs, contours, references), choose ROIs, and rasterise them onto a small CT
// series (the 6×5×4 sample of DICOMSamples, and a tilted variant). The mask must match the grid.

import Common
import Imaging

/// The CT series contours are rasterised onto: the sample series, straight and with gantry tilt.
let fuzzSeries: [CTSeries] = {
  var tilted = CTSampleSpec()
  tilted.shearPerSlice = SIMD3(0, 0.5, 0)
  tilted.rowDirection = SIMD3(0.6, 0.8, 0)
  tilted.columnDirection = SIMD3(-0.8, 0.6, 0)
  return [CTSampleSpec(), tilted].map { spec in
    let headers = DICOMSamples.ctImages(spec).enumerated().map { k, set in
      // These are fixed, valid sample images: failing here is a bug in the harness itself.
      try! CTImageHeader(DICOMReader.parse(DICOMWriter.encode(set), path: "sample-\(k).dcm"))
    }
    return try! CTSeries(headers)
  }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTStruct(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = fuzzBytes(data, size)
  guard let file = try? DICOMReader.parse(bytes, path: "input-rtstruct.dcm"),
        let structureSet = try? RTStructureSet(file) else { return 0 }
  var choices = [structureSet.rois]
  if let selector = try? ROISelector(), let chosen = selector.select(structureSet.rois) { choices.append(chosen.rois) }
  for rois in choices {
    for series in fuzzSeries {
      guard let result = try? RTStructRasterizer.mask(rois, of: structureSet, on: series) else { continue }
      require(result.mask.grid == series.grid, "the mask is not on the series' grid")
      require(result.mask.voxels.allSatisfy { $0 <= 1 }, "mask values other than 0 and 1")
      require(result.contoursUsed <= rois.reduce(0) { $0 + $1.contours.count }, "more contours used than given")
    }
  }
  return 0
}
