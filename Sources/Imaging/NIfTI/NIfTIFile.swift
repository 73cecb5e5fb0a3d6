// NIfTIFile: reading NIfTI-1 and NIfTI-2 volumes (.nii, .nii.gz, .hdr/.img pairs, either byte
// order) into fgf's canonical LPS arrays, and writing NIfTI-1 volumes and masks. Sizes declared
// by a header are checked against the bytes really present before anything large is allocated.

import Common

public enum NIfTIFile {
  /// Largest volume read, in voxels (2^30: 4 GiB as Float).
  public static let maximumVoxelCount = 1 << 30

  /// Reads and checks the header only (for a .nii.gz, inflates just its first bytes), so a
  /// cohort of thousands of files can check geometry quickly. For an uncompressed data file it
  /// also checks that the file holds the voxels the header declares.
  public static func readHeader(_ path: String) throws(FileError) -> NIfTIHeaderInfo {
    let headerPath = headerPath(for: path)
    let (bytes, compressed) = try headerBytes(headerPath)
    let header = try NIfTIHeader.parse(bytes, path: headerPath)
    let (dataPath, dataCompressed) = try dataFile(header: header, headerPath: headerPath, headerCompressed: compressed)
    if !dataCompressed {
      let size = try FileIO.size(of: dataPath)
      let end = header.voxelOffset.addingReportingOverflow(header.bytesPerVolume)
      guard !end.overflow, size >= end.partialValue else {
        throw truncatedData(dataPath, header: header, present: size)
      }
    }
    return info(header, dataPath: dataPath, dataCompressed: dataCompressed)
  }

  /// The checked header's grid, orientation and notes, for voxels in `dataPath`.
  static func info(_ header: NIfTIHeader, dataPath: String, dataCompressed: Bool) -> NIfTIHeaderInfo {
    let (rasAffine, source, geometryNotes) = NIfTIGeometry.storedAffine(header)
    let lpsAffine = NIfTIGeometry.flipRASLPS(rasAffine)
    let reorientation = Reorientation(storedDimensions: [header.nx, header.ny, header.nz], affine: lpsAffine)
    var notes = header.notes + geometryNotes
    if header.volumeCount > 1 {
      notes.append("\(header.dimensions.count)-D file: the first of \(header.volumeCount) volumes is read")
    }
    let obliquity = AffineMath.obliquityDegrees(lpsAffine)
    if obliquity > 0.01 {
      let rounded = (obliquity * 100).rounded() / 100
      notes.append("oblique by \(rounded)°: the array is reoriented to the nearest patient axes, world positions are kept")
    }
    return NIfTIHeaderInfo(
      grid: reorientation.canonicalGrid(storedAffine: lpsAffine), datatype: header.datatype.name,
      version: header.version, littleEndian: header.littleEndian, storedDimensions: header.dimensions,
      volumeCount: header.volumeCount, slope: header.slope, intercept: header.intercept,
      affineSource: source, storedAffineRAS: rasAffine, storedOrientation: reorientation.storedAxisCodes,
      obliquityDegrees: obliquity, descrip: header.descrip, dataPath: dataPath,
      dataCompressed: dataCompressed, dataOffset: header.voxelOffset, notes: notes,
      header: header, reorientation: reorientation)
  }

  /// Reads the header and the (first) volume: values after scl_slope/scl_inter (HU for CT),
  /// reoriented to canonical LPS.
  public static func read(_ path: String) throws(FileError) -> (header: NIfTIHeaderInfo, volume: Volume) {
    let info = try readHeader(path)
    return (info, try withVoxelBytes(info) { raw in volume(raw, info: info) })
  }

  /// The volume of `info` from its stored voxel bytes: scaled, reoriented to canonical.
  static func volume(_ raw: UnsafeRawBufferPointer, info: NIfTIHeaderInfo) -> Volume {
    let header = info.header
    let (slope, intercept) = (header.slope, header.intercept)
    let stored = header.isScaled
      ? header.datatype.convert(raw, count: header.voxelsPerVolume, littleEndian: header.littleEndian) {
          Float($0 * slope + intercept)
        }
      : header.datatype.convert(raw, count: header.voxelsPerVolume, littleEndian: header.littleEndian) { Float($0) }
    return Volume(grid: info.grid, voxels: info.reorientation.apply(stored))
  }

  /// The (first) volume of `path`: values after scl_slope/scl_inter (HU for CT), canonical LPS.
  public static func readVolume(_ path: String) throws(FileError) -> Volume {
    try read(path).volume
  }

  /// A mask: 1 where the (scaled) value is non-zero, 0 elsewhere (NaN counts as 0).
  public static func readMask(_ path: String) throws(FileError) -> Mask {
    try readMask(path) { $0 < 0 || $0 > 0 }
  }

  /// A mask from a label map (e.g. HECKTOR's 1 = GTVp, 2 = GTVn): 1 where the (scaled) value
  /// equals `label`, 0 elsewhere.
  public static func readLabelMap(_ path: String, label: Int) throws(FileError) -> Mask {
    let wanted = Double(label)
    return try readMask(path) { $0 == wanted }
  }

  private static func readMask(_ path: String, inside: (Double) -> Bool) throws(FileError) -> Mask {
    let info = try readHeader(path)
    let header = info.header
    let stored: [UInt8] = try withVoxelBytes(info) { raw in
      let (slope, intercept) = (header.slope, header.intercept)
      return header.datatype.convert(raw, count: header.voxelsPerVolume, littleEndian: header.littleEndian) {
        inside($0 * slope + intercept) ? 1 : 0
      }
    }
    return Mask(grid: info.grid, voxels: info.reorientation.apply(stored))
  }
}
