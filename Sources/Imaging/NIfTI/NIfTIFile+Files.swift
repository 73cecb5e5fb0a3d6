// NIfTIFile+Files: where a NIfTI header and its voxels are (one .nii, or a .hdr with its .img,
// either possibly gzip-compressed, told by content rather than name), and reading exactly the
// bytes of the first volume without ever allocating more than the file can really supply.

import Common

extension NIfTIFile {
  /// The header file for a path naming either half of a .hdr/.img pair (or a single file).
  static func headerPath(for path: String) -> String {
    let (base, suffix) = splitSuffix(path)
    switch suffix {
    case ".img": return base + ".hdr"
    case ".IMG": return base + ".HDR"
    case ".img.gz": return base + ".hdr.gz"
    case ".IMG.GZ": return base + ".HDR.GZ"
    default: return path
    }
  }

  /// `path` without its NIfTI suffix (.nii, .hdr, .img, each optionally .gz), and the suffix.
  static func splitSuffix(_ path: String) -> (base: String, suffix: String) {
    for suffix in [".nii.gz", ".hdr.gz", ".img.gz", ".nii", ".hdr", ".img"] {
      for spelling in [suffix, suffix.uppercased()] where path.hasSuffix(spelling) && path.count > spelling.count {
        return (String(path.dropLast(spelling.count)), spelling)
      }
    }
    return (path, "")
  }

  /// The first bytes of the header file, decompressed when it is gzip: enough for either header
  /// version (fewer only when the file is shorter). Reads a small piece of the file, more only
  /// if a gzip stream needs it.
  static func headerBytes(_ path: String) throws(FileError) -> (bytes: [UInt8], compressed: Bool) {
    let wanted = NIfTIHeader.size(version: 2)
    var piece = 1 << 14
    while true {
      let start = try FileIO.read(path, offset: 0, count: piece)
      guard Gzip.isGzip(start) else { return (Array(start.prefix(wanted)), false) }
      let header = try Gzip.decompressPrefix(start[...], count: wanted, path: path)
      if header.count >= wanted || start.count < piece { return (header, true) }
      piece *= 8
    }
  }

  /// The file holding the voxels and whether it is gzip-compressed: the header file itself for
  /// a single-file NIfTI, else the .img (or .img.gz) beside the .hdr.
  static func dataFile(header: NIfTIHeader, headerPath: String, headerCompressed: Bool)
    throws(FileError) -> (path: String, compressed: Bool) {
    if header.singleFile { return (headerPath, headerCompressed) }
    let (base, suffix) = splitSuffix(headerPath)
    let upper = suffix == suffix.uppercased() && !suffix.isEmpty
    let candidates = upper
      ? [base + ".IMG", base + ".IMG.GZ", base + ".img", base + ".img.gz"]
      : [base + ".img", base + ".img.gz", base + ".IMG", base + ".IMG.GZ"]
    for candidate in candidates {
      if let size = try? FileIO.size(of: candidate) {
        let start = size >= 2 ? try FileIO.read(candidate, offset: 0, count: 2) : []
        return (candidate, Gzip.isGzip(start))
      }
    }
    throw FileError(path: headerPath, place: "header",
                    problem: "missing image file \(base).img: the header (magic ni\(header.version)) keeps its voxels in a separate .img",
                    hint: "put the .img beside the .hdr with the same name")
  }

  /// Calls `body` with exactly the stored bytes of the first volume.
  static func withVoxelBytes<Output>(_ info: NIfTIHeaderInfo,
                                     _ body: (UnsafeRawBufferPointer) -> Output) throws(FileError) -> Output {
    let header = info.header
    let count = header.bytesPerVolume
    if !info.dataCompressed {
      let bytes = try FileIO.read(info.dataPath, offset: info.dataOffset, count: count)
      guard bytes.count == count else {
        throw truncatedData(info.dataPath, header: header, present: info.dataOffset + bytes.count)
      }
      return bytes.withUnsafeBytes(body)
    }
    return try withInflatedVoxelBytes(FileIO.read(info.dataPath), info, body)
  }

  /// Calls `body` with exactly the stored bytes of the first volume in the gzip stream `compressed`.
  static func withInflatedVoxelBytes<Output>(_ compressed: [UInt8], _ info: NIfTIHeaderInfo,
                                             _ body: (UnsafeRawBufferPointer) -> Output) throws(FileError) -> Output {
    let header = info.header
    let count = header.bytesPerVolume
    // Only the first volume is kept, but the whole stream is inflated so that its checksum is
    // verified; it may not exceed what the header declares (plus 1 MiB of slack for padding).
    let allVolumes = saturating(header.bytesPerVolume.multipliedReportingOverflow(by: header.volumeCount))
    let limit = saturating(saturating(info.dataOffset.addingReportingOverflow(allVolumes)).addingReportingOverflow(1 << 20))
    let stream = try Gzip.decompress(compressed, keeping: info.dataOffset + count, limit: limit, path: info.dataPath)
    guard stream.count == info.dataOffset + count else {
      throw truncatedData(info.dataPath, header: header, present: stream.count, decompressed: true)
    }
    return stream.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[info.dataOffset...])) }
  }

  /// The result of an overflow-reporting operation, or Int.max when it overflowed.
  private static func saturating(_ result: (partialValue: Int, overflow: Bool)) -> Int {
    result.overflow ? .max : result.partialValue
  }

  static func truncatedData(_ path: String, header: NIfTIHeader, present: Int, decompressed: Bool = false) -> FileError {
    let end = header.voxelOffset.addingReportingOverflow(header.bytesPerVolume)
    let declared = end.overflow ? "more than \(Int.max)" : "\(end.partialValue)"
    let dims = "\(header.nx)×\(header.ny)×\(header.nz) \(header.datatype.name)"
    return FileError(
      path: path, place: "byte \(present)",
      problem: "truncated voxel data: \(dims) from byte \(header.voxelOffset) needs \(declared) bytes, "
        + (decompressed ? "the data decompresses to \(present)" : "the file has \(present)"),
      hint: "the file was cut short, or its header declares the wrong size")
  }
}
