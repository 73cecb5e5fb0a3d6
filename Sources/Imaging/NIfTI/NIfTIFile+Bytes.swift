// NIfTIFile+Bytes: a single-file NIfTI (.nii, or .nii.gz when the bytes are gzip) read from
// memory, with the same checks and results as reading a file holding those bytes. For data that
// never was a file (a download, an archive member) and for fuzzing the reader.

import Common

extension NIfTIFile {
  /// The header and (first) volume of the single-file NIfTI in `bytes`; `path` names it in errors.
  /// A .hdr header (magic ni1/ni2) is refused: its voxels are in another file.
  public static func decode(_ bytes: [UInt8], path: String) throws(FileError) -> (header: NIfTIHeaderInfo, volume: Volume) {
    let info = try decodeHeader(bytes, path: path)
    if info.dataCompressed {
      return (info, try withInflatedVoxelBytes(bytes, info) { raw in volume(raw, info: info) })
    }
    let start = info.dataOffset, end = info.dataOffset + info.header.bytesPerVolume  // checked by decodeHeader
    return (info, bytes[start..<end].withUnsafeBytes { raw in volume(raw, info: info) })
  }

  /// The checked header of the single-file NIfTI in `bytes`, as `readHeader` gives it for a file.
  public static func decodeHeader(_ bytes: [UInt8], path: String) throws(FileError) -> NIfTIHeaderInfo {
    let compressed = Gzip.isGzip(bytes)
    let wanted = NIfTIHeader.size(version: 2)
    let start = compressed ? try Gzip.decompressPrefix(bytes[...], count: wanted, path: path) : Array(bytes.prefix(wanted))
    let header = try NIfTIHeader.parse(start, path: path)
    guard header.singleFile else {
      throw FileError(path: path, place: "header",
                      problem: "a .hdr header (magic ni\(header.version)): its voxels are in a separate .img file",
                      hint: "read the .hdr/.img pair from disk")
    }
    if !compressed {
      let end = header.voxelOffset.addingReportingOverflow(header.bytesPerVolume)
      guard !end.overflow, bytes.count >= end.partialValue else {
        throw truncatedData(path, header: header, present: bytes.count)
      }
    }
    return info(header, dataPath: path, dataCompressed: compressed)
  }
}
