// NIfTIHeaderInfo: what a NIfTI header says, once checked: the canonical grid the volume will be
// read onto, the stored type, scaling, orientation and geometry source, and notes on anything
// repaired or left out. Cheap to obtain (NIfTIFile.readHeader reads only the header).

import Common

public struct NIfTIHeaderInfo: Sendable, Equatable {
  /// The canonical grid (LPS, [z][y][x]) the volume is read onto.
  public var grid: Grid
  /// Voxel type as stored: "int16", "float32", …
  public var datatype: String
  /// NIfTI version: 1 or 2.
  public var version: Int
  /// Byte order of the header and voxels.
  public var littleEndian: Bool
  /// dim[1...dim[0]] as stored, at least three (a 2-D image has one slice).
  public var storedDimensions: [Int]
  /// Number of 3-D volumes in the file (the product of dimensions 4 and up); only the first is read.
  public var volumeCount: Int
  /// Value = stored · slope + intercept; 1 and 0 when the file has no valid scaling.
  public var slope: Double
  public var intercept: Double
  /// Which header fields gave the geometry.
  public var affineSource: NIfTIAffineSource
  /// Voxel-to-world affine of the array as the file stores it, in NIfTI's RAS world (row-major 4×4).
  public var storedAffineRAS: [Double]
  /// Where the stored axes point, e.g. "RAS" or "LPS" (letters of the nearest patient axes).
  public var storedOrientation: String
  /// Largest angle, in degrees, between a stored axis and the patient axis it was snapped to.
  public var obliquityDegrees: Double
  /// The header's free-text `descrip` field.
  public var descrip: String
  /// The file holding the voxels (the .img of a .hdr/.img pair), whether it is gzip-compressed,
  /// and the offset of the first voxel in it (in the decompressed stream when compressed).
  public var dataPath: String
  public var dataCompressed: Bool
  public var dataOffset: Int
  /// What the reader repaired, ignored or left out, in plain words (e.g. "4-D file: the first of
  /// 12 volumes is read"). Empty for a clean 3-D file.
  public var notes: [String]

  /// The checked header and the reorientation to canonical, for reading the voxels.
  var header: NIfTIHeader
  var reorientation: Reorientation
}
