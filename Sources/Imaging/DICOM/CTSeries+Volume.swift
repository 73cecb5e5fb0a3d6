// Reading a CT series' pixels into a HU volume on the canonical grid: each image's stored values
// (signedness and bit layout per image) times its RescaleSlope plus RescaleIntercept.

import Common

extension CTSeries {
  /// The series as a HU volume in canonical LPS orientation. `read` gives each image's parsed
  /// file (by default, the file at the header's path).
  public func volume(reading read: (CTImageHeader) throws(FileError) -> DICOMFile = { header throws(FileError) in
    try DICOMReader.read(header.path)
  }) throws(FileError) -> Volume {
    let plane = rows * columns
    var native = [Float](repeating: 0, count: plane * slices.count)
    for (k, header) in slices.enumerated() {
      let file = try read(header)
      // The file must still be the image the header described (files can change between scan and load).
      let image = try CTImageHeader(file)
      guard image.format.rows == rows, image.format.columns == columns, image.sopInstanceUID == header.sopInstanceUID else {
        throw FileError(path: header.path, problem: "the image changed since the series was scanned")
      }
      let stored = try DICOMPixels.storedValues(file)
      let slope = image.rescaleSlope, intercept = image.rescaleIntercept
      native.withUnsafeMutableBufferPointer { buffer in
        let base = k * plane
        for i in 0..<plane { buffer[base + i] = Float(Double(stored[i]) * slope + intercept) }
      }
    }
    return Volume(grid: grid, voxels: reorientation.apply(native))
  }
}
