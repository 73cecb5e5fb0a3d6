// NIfTIWriter: writes canonical volumes and masks as little-endian NIfTI-1 (.nii.gz, or .nii),
// atomically. CT stays small: int16 when every value is an integer in range, else float32;
// masks are uint8. gzip level 1 by default (as nibabel): on noisy CT, level 6 is ~3.5× slower
// for files only ~4% smaller. sform and qform (both code 1, scanner) encode the grid's affine, so
// reading the file back gives the same values and grid: exactly when the affine's entries are
// float32 numbers (1 mm, 3 mm or 0.9765625 mm spacings, half-millimetre origins) and the grid's
// spacing is the length of its affine's columns (as for Grid(nx:ny:nz:spacing:) and every
// grid the readers make); otherwise to float32 precision.

import Common

extension NIfTIFile {
  /// Writes `volume` as NIfTI-1: int16 when all values are integers in −32768…32767 (−0 and
  /// NaN excluded), else float32. gzip-compressed when `path` ends in .nii.gz. Atomic.
  public static func write(_ volume: Volume, to path: String, compressionLevel: Int = 1) throws(FileError) {
    let integral = volume.voxels.allSatisfy { value in
      value >= -32768 && value <= 32767 && value == value.rounded() && !(value == 0 && value.sign == .minus)
    }
    let data: [UInt8] = integral
      ? littleEndianBytes(volume.voxels.map { Int16($0).littleEndian })
      : littleEndianBytes(volume.voxels.map { $0.bitPattern.littleEndian })
    try write(grid: volume.grid, datatype: integral ? .int16 : .float32, data: data, to: path,
              compressionLevel: compressionLevel)
  }

  /// Writes `mask` as uint8 NIfTI-1, gzip-compressed when `path` ends in .nii.gz. Atomic.
  public static func write(_ mask: Mask, to path: String, compressionLevel: Int = 1) throws(FileError) {
    try write(grid: mask.grid, datatype: .uint8, data: mask.voxels, to: path, compressionLevel: compressionLevel)
  }

  private static func littleEndianBytes<T>(_ values: [T]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }
  }

  private static func write(grid: Grid, datatype: NIfTIDatatype, data: [UInt8], to path: String,
                            compressionLevel: Int) throws(FileError) {
    let compressed: Bool
    switch splitSuffix(path).suffix.lowercased() {
    case ".nii.gz": compressed = true
    case ".nii": compressed = false
    default:
      throw FileError(path: path, problem: "fgf writes NIfTI-1 single files; the name must end in .nii.gz or .nii")
    }
    let dims = [grid.nx, grid.ny, grid.nz]
    guard dims.allSatisfy({ (1...Int(Int16.max)).contains($0) }) else {
      throw FileError(path: path, problem: "cannot write a \(dims[0])×\(dims[1])×\(dims[2]) volume: NIfTI-1 axes hold 1 to 32767 voxels")
    }
    guard grid.affine.count == 16, grid.affine.allSatisfy(\.isFinite),
          abs(AffineMath.determinant(grid.affine)) > 0 else {
      throw FileError(path: path, problem: "cannot write a volume whose affine is degenerate or not finite")
    }
    var file = header(grid: grid, datatype: datatype)
    file.append(contentsOf: data)
    try FileIO.writeAtomically(compressed ? Gzip.compress(file, level: compressionLevel) : file, to: path)
  }

  /// The 348-byte NIfTI-1 header and 4-byte empty extension flag for a canonical grid.
  private static func header(grid: Grid, datatype: NIfTIDatatype) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: 352)
    func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
      withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }
    func put(_ value: Double, at offset: Int) { put(Float(value).bitPattern, at: offset) }

    let ras = NIfTIGeometry.flipRASLPS(grid.affine)
    let (quaternion, qfac, spacing) = NIfTIGeometry.quaternion(of: ras)
    put(Int32(348), at: 0)                                            // sizeof_hdr
    for (index, value) in [3, grid.nx, grid.ny, grid.nz, 1, 1, 1, 1].enumerated() {
      put(Int16(value), at: 40 + 2 * index)                           // dim
    }
    put(Int16(datatype.rawValue), at: 70)                             // datatype
    put(Int16(datatype.size * 8), at: 72)                             // bitpix
    for (index, value) in [qfac, spacing.x, spacing.y, spacing.z].enumerated() {
      put(value, at: 76 + 4 * index)                                  // pixdim[0...3]
    }
    put(352.0, at: 108)                                               // vox_offset
    put(1.0, at: 112)                                                 // scl_slope
    put(0.0, at: 116)                                                 // scl_inter
    bytes[123] = 2                                                    // xyzt_units: mm
    bytes.replaceSubrange(148..<151, with: Array("fgf".utf8))         // descrip
    put(Int16(1), at: 252)                                            // qform_code: scanner
    put(Int16(1), at: 254)                                            // sform_code: scanner
    for (index, value) in [quaternion.x, quaternion.y, quaternion.z, ras[3], ras[7], ras[11]].enumerated() {
      put(value, at: 256 + 4 * index)                                 // quatern_b…d, qoffset_x…z
    }
    for index in 0..<12 { put(ras[index], at: 280 + 4 * index) }     // srow_x, srow_y, srow_z
    bytes.replaceSubrange(344..<348, with: Array("n+1\0".utf8))       // magic
    return bytes
  }
}
