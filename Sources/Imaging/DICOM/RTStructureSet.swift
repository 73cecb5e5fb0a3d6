// An RT Structure Set (PS3.3 A.19, C.8.8.5–C.8.8.8): its ROIs with names, frames of reference,
// interpreted types and contours (points in patient mm, referenced images), read from a parsed file.

import Common

public struct RTContour: Sendable {
  /// CLOSED_PLANAR, OPEN_PLANAR, OPEN_NONPLANAR or POINT.
  public var geometricType: String
  /// Points in patient coordinates (LPS mm).
  public var points: [SIMD3<Double>]
  /// SOP Instance UIDs of the images the contour lies on (ContourImageSequence); may be empty.
  public var referencedSOPInstanceUIDs: [String]

  public init(geometricType: String, points: [SIMD3<Double>], referencedSOPInstanceUIDs: [String]) {
    self.geometricType = geometricType; self.points = points; self.referencedSOPInstanceUIDs = referencedSOPInstanceUIDs
  }
}

public struct RTROI: Sendable {
  public var number: Int
  public var name: String
  /// ReferencedFrameOfReferenceUID of the ROI.
  public var frameOfReferenceUID: String?
  /// RTROIInterpretedType (GTV, CTV, PTV, ORGAN, …) from the observations, if given.
  public var interpretedType: String?
  public var contours: [RTContour]

  public init(number: Int, name: String, frameOfReferenceUID: String?, interpretedType: String?, contours: [RTContour]) {
    self.number = number; self.name = name; self.frameOfReferenceUID = frameOfReferenceUID
    self.interpretedType = interpretedType; self.contours = contours
  }
}

public struct RTStructureSet: Sendable {
  public var path: String
  public var sopInstanceUID: String?
  public var patientID: String?
  public var label: String?
  /// Frames of reference the structure set refers to (ReferencedFrameOfReferenceSequence).
  public var frameOfReferenceUIDs: [String]
  /// Series the structure set was drawn on (RTReferencedSeriesSequence).
  public var referencedSeriesUIDs: [String]
  /// Images named in the referenced frame of reference's contour image sequences.
  public var referencedImageUIDs: Set<String>
  public var rois: [RTROI]

  /// The structure set of a parsed RTSTRUCT file.
  public init(_ file: DICOMFile) throws(FileError) {
    let set = file.dataSet
    path = file.path
    sopInstanceUID = set.string(.sopInstanceUID)
    patientID = set.string(.patientID)
    label = set.string(.structureSetLabel)
    var frames: [String] = [], series: [String] = [], images: Set<String> = []
    for frame in set.items(.referencedFrameOfReferenceSequence) {
      if let uid = frame.string(.frameOfReferenceUID) { frames.append(uid) }
      for study in frame.items(.rtReferencedStudySequence) {
        for referenced in study.items(.rtReferencedSeriesSequence) {
          if let uid = referenced.string(.seriesInstanceUID) { series.append(uid) }
          for image in referenced.items(.contourImageSequence) {
            if let uid = image.string(.referencedSOPInstanceUID) { images.insert(uid) }
          }
        }
      }
    }
    frameOfReferenceUIDs = frames
    referencedSeriesUIDs = series
    referencedImageUIDs = images

    var interpreted: [Int: String] = [:]
    for observation in set.items(.rtROIObservationsSequence) {
      if let number = try observation.integer(.referencedROINumber), let type = observation.string(.rtROIInterpretedType) {
        interpreted[number] = type
      }
    }
    var contoursByROI: [Int: [RTContour]] = [:]
    for roiContour in set.items(.roiContourSequence) {
      guard let number = try roiContour.integer(.referencedROINumber) else {
        throw roiContour.missing(.referencedROINumber)
      }
      for item in roiContour.items(.contourSequence) {
        contoursByROI[number, default: []].append(try RTStructureSet.contour(item))
      }
    }
    var rois: [RTROI] = []
    for item in set.items(.structureSetROISequence) {
      let number = try item.requiredInteger(.roiNumber)
      rois.append(RTROI(number: number, name: item.string(.roiName) ?? "",
                        frameOfReferenceUID: item.string(.referencedFrameOfReferenceUID),
                        interpretedType: interpreted[number], contours: contoursByROI[number] ?? []))
    }
    self.rois = rois
  }

  static func contour(_ item: DICOMDataSet) throws(FileError) -> RTContour {
    let type = item.string(.contourGeometricType) ?? ""
    let values = try item.doubles(.contourData) ?? []
    guard values.count % 3 == 0 else {
      throw item.error(.contourData, "\(values.count) numbers are not a list of (x, y, z) points")
    }
    guard values.allSatisfy({ $0.isFinite }) else { throw item.error(.contourData, "a coordinate is not finite") }
    if let declared = try item.integer(.numberOfContourPoints), declared != values.count / 3 {
      throw item.error(.contourData, "holds \(values.count / 3) points but NumberOfContourPoints is \(declared)")
    }
    var points: [SIMD3<Double>] = []
    points.reserveCapacity(values.count / 3)
    for i in stride(from: 0, to: values.count, by: 3) { points.append(SIMD3(values[i], values[i + 1], values[i + 2])) }
    let references = item.items(.contourImageSequence).compactMap { $0.string(.referencedSOPInstanceUID) }
    return RTContour(geometricType: type, points: points, referencedSOPInstanceUIDs: references)
  }
}
