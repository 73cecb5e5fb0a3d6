// What series assembly needs from one CT image, read from its header (no pixel data): identity,
// patient-space geometry (PS3.3 C.7.6.2), pixel format and the rescale to HU (C.11.1).

import Common

public struct CTImageHeader: Sendable {
  public var path: String
  public var sopInstanceUID: String
  public var seriesInstanceUID: String
  public var frameOfReferenceUID: String?
  public var instanceNumber: Int?
  /// ImagePositionPatient: the centre of the first transmitted pixel, LPS mm.
  public var position: SIMD3<Double>
  /// ImageOrientationPatient, first triple: the direction of increasing column index (along a row).
  public var rowDirection: SIMD3<Double>
  /// ImageOrientationPatient, second triple: the direction of increasing row index (down a column).
  public var columnDirection: SIMD3<Double>
  /// PixelSpacing[0]: the distance between rows (mm).
  public var rowSpacing: Double
  /// PixelSpacing[1]: the distance between columns (mm).
  public var columnSpacing: Double
  public var format: DICOMPixelFormat
  public var rescaleSlope: Double
  public var rescaleIntercept: Double
  public var transferSyntax: DICOMTransferSyntax
  /// GantryDetectorTilt in degrees, if present.
  public var gantryTilt: Double?
  /// SliceThickness in mm, if present (informational: spacing comes from positions).
  public var sliceThickness: Double?

  /// The header of a CT image file (parsed with or without its pixel data).
  public init(_ file: DICOMFile) throws(FileError) {
    let set = file.dataSet
    path = file.path
    sopInstanceUID = try set.requiredString(.sopInstanceUID)
    seriesInstanceUID = try set.requiredString(.seriesInstanceUID)
    frameOfReferenceUID = set.string(.frameOfReferenceUID)
    instanceNumber = try? set.integer(.instanceNumber)
    let ipp = try set.requiredDoubles(.imagePositionPatient, count: 3)
    position = SIMD3(ipp[0], ipp[1], ipp[2])
    let iop = try set.requiredDoubles(.imageOrientationPatient, count: 6)
    let row = SIMD3(iop[0], iop[1], iop[2]), column = SIMD3(iop[3], iop[4], iop[5])
    let rowLength = vectorLength(row), columnLength = vectorLength(column)
    guard abs(rowLength - 1) < 1e-2, abs(columnLength - 1) < 1e-2 else {
      throw set.error(.imageOrientationPatient, "direction cosines are not unit vectors (lengths \(rowLength), \(columnLength))")
    }
    rowDirection = row / rowLength
    columnDirection = column / columnLength
    guard abs(dot(rowDirection, columnDirection)) < 1e-2 else {
      throw set.error(.imageOrientationPatient, "row and column directions are not perpendicular")
    }
    let spacing = try set.requiredDoubles(.pixelSpacing, count: 2)
    guard spacing[0] > 0, spacing[1] > 0 else {
      throw set.error(.pixelSpacing, "pixel spacing \(spacing[0])\\\(spacing[1]) must be positive")
    }
    rowSpacing = spacing[0]
    columnSpacing = spacing[1]
    format = try DICOMPixelFormat(set)
    rescaleSlope = try set.double(.rescaleSlope) ?? 1
    rescaleIntercept = try set.double(.rescaleIntercept) ?? 0
    guard rescaleSlope.isFinite, rescaleSlope != 0, rescaleIntercept.isFinite else {
      throw set.error(.rescaleSlope, "rescale slope \(rescaleSlope) and intercept \(rescaleIntercept) must be finite, slope non-zero")
    }
    transferSyntax = file.transferSyntax
    gantryTilt = try? set.double(.gantryDetectorTilt)
    sliceThickness = try? set.double(.sliceThickness)
  }

  /// The slice normal: row direction × column direction.
  public var normal: SIMD3<Double> { cross(rowDirection, columnDirection) }
}

@inline(__always) func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
@inline(__always) func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
  SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
@inline(__always) func vectorLength(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }
