// Fuzz target `dicom`: the DICOM reader on any bytes — the whole file from memory, its header from
// a file read in growing prefixes (as a directory scan does), and what import takes from a CT
// image (CTImageHeader, the stored pixel values). The prefix reader must accept exactly the
// headers the whole-file parse accepts, with the same elements.

import Common
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDICOM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = fuzzBytes(data, size)
  let path = writeScratch(bytes, name: "input.dcm")
  let header = try? DICOMReader.parse(bytes, path: path, stopBefore: .pixelData)
  let prefixed = try? DICOMReader.readHeader(path, firstRead: 256)
  require((header == nil) == (prefixed == nil),
          "whole-file parse \(header == nil ? "refused" : "read") the header, the prefix reader \(prefixed == nil ? "refused" : "read") it")
  if let header, let prefixed {
    require(header.dataSet.elements.keys.sorted() == prefixed.dataSet.elements.keys.sorted(), "the two header reads hold different elements")
    require(header.transferSyntax.uid == prefixed.transferSyntax.uid, "the two header reads differ in transfer syntax")
  }
  guard let file = try? DICOMReader.parse(bytes, path: path) else { return 0 }
  if let image = try? CTImageHeader(file) {
    require(image.rowSpacing > 0 && image.columnSpacing > 0, "non-positive pixel spacing accepted")
    if let values = try? DICOMPixels.storedValues(file) {
      require(values.count == image.format.rows * image.format.columns, "\(values.count) values for \(image.format.rows)×\(image.format.columns) pixels")
    }
  } else {
    _ = try? DICOMPixels.storedValues(file)
  }
  return 0
}
