// NIfTIHeader: the fields of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header that fgf uses,
// parsed in either byte order and checked: magic, dimensions, datatype, data offset, scaling.
// Field offsets follow nifti1.h and nifti2.h.

import Common

/// A checked NIfTI header, as stored (geometry is derived from it in NIfTIGeometry).
struct NIfTIHeader: Sendable, Equatable {
  /// 1 or 2.
  var version: Int
  var littleEndian: Bool
  /// Header and data in one file (magic n+1 / n+2), or a .hdr/.img pair (ni1 / ni2).
  var singleFile: Bool
  /// dim[1...dim[0]], each in 1...32768.
  var dimensions: [Int]
  var datatype: NIfTIDatatype
  /// pixdim[0...7] (pixdim[0] is qfac).
  var pixdim: [Double]
  /// Where the voxels start in the data file.
  var voxelOffset: Int
  /// Value = stored · slope + intercept; (1, 0) when the file has no valid scaling.
  var slope: Double, intercept: Double
  var qformCode: Int, sformCode: Int
  var quaternion: SIMD3<Double>, quaternionOffset: SIMD3<Double>
  /// srow_x, srow_y, srow_z, row-major 3×4.
  var sformRows: [Double]
  var descrip: String
  /// Things the user should know about how the header was read.
  var notes: [String]

  /// Size in bytes of the header of `version`.
  static func size(version: Int) -> Int { version == 2 ? 540 : 348 }

  /// Largest voxel count per axis accepted.
  static let maximumAxisLength = 1 << 15

  var nx: Int { dimensions[0] }
  var ny: Int { dimensions.count > 1 ? dimensions[1] : 1 }
  var nz: Int { dimensions.count > 2 ? dimensions[2] : 1 }
  /// Voxels in one 3-D volume.
  var voxelsPerVolume: Int { nx * ny * nz }
  /// Bytes of one 3-D volume.
  var bytesPerVolume: Int { voxelsPerVolume * datatype.size }
  /// Number of 3-D volumes (the product of dimensions 4 and up); only the first is read.
  var volumeCount: Int { dimensions.dropFirst(3).reduce(1, *) }

  /// Parses the header at the start of `bytes`, taken from `path`.
  static func parse(_ bytes: [UInt8], path: String) throws(FileError) -> NIfTIHeader {
    guard bytes.count >= 4 else {
      throw FileError(path: path, place: "header", problem: bytes.isEmpty ? "file is empty" :
        "truncated header: \(bytes.count) bytes, a NIfTI header has at least 348")
    }
    let little = NIfTIByteReader(bytes: bytes, littleEndian: true)
    let big = NIfTIByteReader(bytes: bytes, littleEndian: false)
    let reader: NIfTIByteReader
    let version: Int
    switch (little.int32(0), big.int32(0)) {
    case (348, _): (reader, version) = (little, 1)
    case (_, 348): (reader, version) = (big, 1)
    case (540, _): (reader, version) = (little, 2)
    case (_, 540): (reader, version) = (big, 2)
    default:
      throw FileError(path: path, place: "byte 0",
                      problem: "not a NIfTI file: sizeof_hdr is \(little.int32(0)), not 348 (NIfTI-1) or 540 (NIfTI-2)",
                      hint: "fgf reads NIfTI-1 and NIfTI-2 volumes (.nii, .nii.gz, .hdr/.img)")
    }
    let size = Self.size(version: version)
    guard bytes.count >= size else {
      throw FileError(path: path, place: "header",
                      problem: "truncated header: \(bytes.count) bytes of the \(size) a NIfTI-\(version) header has")
    }
    return version == 1 ? try parse1(reader, path: path) : try parse2(reader, path: path)
  }

  private static func parse1(_ r: NIfTIByteReader, path: String) throws(FileError) -> NIfTIHeader {
    let magic = Array(r.bytes[344..<348])
    let singleFile: Bool
    switch magic {
    case Array("n+1\0".utf8): singleFile = true
    case Array("ni1\0".utf8): singleFile = false
    default:
      throw FileError(path: path, place: "byte 344",
                      problem: "no NIfTI-1 magic (\"n+1\" or \"ni1\"): an ANALYZE 7.5 header or not a NIfTI file",
                      hint: "ANALYZE files have no reliable orientation; convert them to NIfTI first")
    }
    let dims = try dimensions((0..<8).map { Int(r.int16(40 + 2 * $0)) }, place: "byte 40", path: path)
    var header = NIfTIHeader(
      version: 1, littleEndian: r.littleEndian, singleFile: singleFile, dimensions: dims,
      datatype: try datatype(Int(r.int16(70)), place: "byte 70", path: path),
      pixdim: (0..<8).map { Double(r.float32(76 + 4 * $0)) },
      voxelOffset: 0, slope: 1, intercept: 0,
      qformCode: Int(r.int16(252)), sformCode: Int(r.int16(254)),
      quaternion: SIMD3(Double(r.float32(256)), Double(r.float32(260)), Double(r.float32(264))),
      quaternionOffset: SIMD3(Double(r.float32(268)), Double(r.float32(272)), Double(r.float32(276))),
      sformRows: (0..<12).map { Double(r.float32(280 + 4 * $0)) },
      descrip: r.text(148, length: 80), notes: [])
    let offset = Double(r.float32(108))
    guard offset.isFinite, offset == offset.rounded(.down), abs(offset) < 0x1p62 else {
      throw FileError(path: path, place: "byte 108 (vox_offset)",
                      problem: "vox_offset \(offset) is not a whole number of bytes")
    }
    guard offset >= 0 else {
      throw FileError(path: path, place: "byte 108 (vox_offset)", problem: "vox_offset \(offset) is negative")
    }
    try header.setVoxelOffset(Int(offset), path: path)
    header.setScaling(slope: Double(r.float32(112)), intercept: Double(r.float32(116)))
    return header
  }

  private static func parse2(_ r: NIfTIByteReader, path: String) throws(FileError) -> NIfTIHeader {
    let magic = Array(r.bytes[4..<12])
    let singleFile: Bool
    switch Array(magic[0..<4]) {
    case Array("n+2\0".utf8): singleFile = true
    case Array("ni2\0".utf8): singleFile = false
    default:
      throw FileError(path: path, place: "byte 4", problem: "no NIfTI-2 magic (\"n+2\" or \"ni2\")")
    }
    guard magic[4..<8].elementsEqual([0x0D, 0x0A, 0x1A, 0x0A]) else {
      throw FileError(path: path, place: "byte 8",
                      problem: "the NIfTI-2 magic is damaged (bytes 8–11 should be \\r\\n\\x1a\\n)",
                      hint: "the file was probably copied in text mode, which corrupts binary data")
    }
    let dims = try dimensions((0..<8).map { r.int64(16 + 8 * $0) }, place: "byte 16", path: path)
    var header = NIfTIHeader(
      version: 2, littleEndian: r.littleEndian, singleFile: singleFile, dimensions: dims,
      datatype: try datatype(Int(r.int16(12)), place: "byte 12", path: path),
      pixdim: (0..<8).map { r.float64(104 + 8 * $0) },
      voxelOffset: 0, slope: 1, intercept: 0,
      qformCode: Int(r.int32(344)), sformCode: Int(r.int32(348)),
      quaternion: SIMD3(r.float64(352), r.float64(360), r.float64(368)),
      quaternionOffset: SIMD3(r.float64(376), r.float64(384), r.float64(392)),
      sformRows: (0..<12).map { r.float64(400 + 8 * $0) },
      descrip: r.text(240, length: 80), notes: [])
    let offset = r.int64(168)
    guard offset >= 0, offset < 1 << 62 else {
      throw FileError(path: path, place: "byte 168 (vox_offset)", problem: "vox_offset \(offset) is negative or too large")
    }
    try header.setVoxelOffset(offset, path: path)
    header.setScaling(slope: r.float64(176), intercept: r.float64(184))
    return header
  }

  /// Checks dim[0...7]: dim[0] in 2...7, every used axis in 1...2^15, the product not overflowing.
  private static func dimensions(_ dim: [Int], place: String, path: String) throws(FileError) -> [Int] {
    guard (2...7).contains(dim[0]) else {
      throw FileError(path: path, place: "\(place) (dim[0])",
                      problem: "dim[0] is \(dim[0]); a NIfTI image has 2 to 7 dimensions")
    }
    var used = Array(dim[1...dim[0]])
    for (axis, length) in used.enumerated() where !(1...maximumAxisLength).contains(length) {
      throw FileError(path: path, place: "\(place) (dim[\(axis + 1)])",
                      problem: "dim[\(axis + 1)] is \(length), outside 1…\(maximumAxisLength)")
    }
    while used.count < 3 { used.append(1) }  // a 2-D image is one slice
    // Each length is at most 2^15, so three multiply safely; more axes might not.
    var total = 1
    for length in used {
      let product = total.multipliedReportingOverflow(by: length)
      guard !product.overflow else {
        throw FileError(path: path, place: place, problem: "the dimensions \(used) overflow a voxel count")
      }
      total = product.partialValue
    }
    let voxels = used[0] * used[1] * used[2]
    guard voxels <= NIfTIFile.maximumVoxelCount else {
      throw FileError(path: path, place: place,
                      problem: "\(used[0])×\(used[1])×\(used[2]) = \(voxels) voxels, more than the \(NIfTIFile.maximumVoxelCount) fgf reads")
    }
    return used
  }

  private static func datatype(_ code: Int, place: String, path: String) throws(FileError) -> NIfTIDatatype {
    if let type = NIfTIDatatype(rawValue: code) { return type }
    let name = NIfTIDatatype.unsupportedName(code).map { "datatype \($0)" } ?? "datatype code \(code)"
    throw FileError(path: path, place: "\(place) (datatype)", problem: "unsupported \(name)",
                    hint: "fgf reads int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32 and float64")
  }

  /// A single file's voxels must start after its header; 0 (unset) means right after it.
  private mutating func setVoxelOffset(_ offset: Int, path: String) throws(FileError) {
    let minimum = Self.size(version: version) + 4  // header and the 4-byte extension flag
    if singleFile && offset == 0 {
      voxelOffset = minimum
      notes.append("vox_offset is 0; the voxels are read from byte \(minimum), right after the header")
    } else if singleFile && offset < minimum {
      throw FileError(path: path, place: version == 1 ? "byte 108 (vox_offset)" : "byte 168 (vox_offset)",
                      problem: "vox_offset \(offset) lies inside the header, which ends at byte \(minimum)")
    } else {
      voxelOffset = offset
    }
  }

  /// scl_slope 0 or not finite means no scaling (the NIfTI rule); a bad intercept means 0.
  private mutating func setScaling(slope: Double, intercept: Double) {
    guard slope != 0, slope.isFinite else { return }
    self.slope = slope
    self.intercept = intercept.isFinite ? intercept : 0
  }

  /// True when the stored values are changed by scaling.
  var isScaled: Bool { slope != 1 || intercept != 0 }
}
