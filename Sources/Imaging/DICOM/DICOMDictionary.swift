// The small built-in data dictionary (PS3.6): the tags fgf reads or writes, with their keywords
// and VRs, plus the common sequences that appear in CT and RTSTRUCT files so that Implicit VR
// files can be walked. Unknown tags are read as UN; an unknown tag of undefined length is a sequence.

public struct DICOMDictionaryEntry: Sendable {
  public var keyword: String
  public var vr: DICOMVR
}

public enum DICOMDictionary {
  /// The entry of `tag`, if the dictionary knows it. Group lengths (gggg,0000) are UL.
  public static func entry(_ tag: DICOMTag) -> DICOMDictionaryEntry? {
    if let entry = entries[tag] { return entry }
    if tag.element == 0x0000 { return DICOMDictionaryEntry(keyword: "GroupLength", vr: .UL) }
    return nil
  }

  /// The VR to assume for `tag` in Implicit VR files.
  public static func vr(_ tag: DICOMTag) -> DICOMVR { entry(tag)?.vr ?? .UN }

  static let entries: [DICOMTag: DICOMDictionaryEntry] = {
    var table: [DICOMTag: DICOMDictionaryEntry] = [:]
    for (tag, keyword, vr) in list { table[tag] = DICOMDictionaryEntry(keyword: keyword, vr: vr) }
    return table
  }()

  private static let list: [(DICOMTag, String, DICOMVR)] = [
    // File meta information (group 0002).
    (.fileMetaInformationVersion, "FileMetaInformationVersion", .OB),
    (.mediaStorageSOPClassUID, "MediaStorageSOPClassUID", .UI),
    (.mediaStorageSOPInstanceUID, "MediaStorageSOPInstanceUID", .UI),
    (.transferSyntaxUID, "TransferSyntaxUID", .UI),
    (.implementationClassUID, "ImplementationClassUID", .UI),
    (.implementationVersionName, "ImplementationVersionName", .SH),
    // Identification.
    (.specificCharacterSet, "SpecificCharacterSet", .CS),
    (.imageType, "ImageType", .CS),
    (.sopClassUID, "SOPClassUID", .UI),
    (.sopInstanceUID, "SOPInstanceUID", .UI),
    (.studyDate, "StudyDate", .DA),
    (.seriesDate, "SeriesDate", .DA),
    (.modality, "Modality", .CS),
    (.manufacturer, "Manufacturer", .LO),
    (.studyDescription, "StudyDescription", .LO),
    (.seriesDescription, "SeriesDescription", .LO),
    (.referencedSOPClassUID, "ReferencedSOPClassUID", .UI),
    (.referencedSOPInstanceUID, "ReferencedSOPInstanceUID", .UI),
    (.patientName, "PatientName", .PN),
    (.patientID, "PatientID", .LO),
    // Acquisition and geometry.
    (.sliceThickness, "SliceThickness", .DS),
    (.kvp, "KVP", .DS),
    (.gantryDetectorTilt, "GantryDetectorTilt", .DS),
    (.studyInstanceUID, "StudyInstanceUID", .UI),
    (.seriesInstanceUID, "SeriesInstanceUID", .UI),
    (.seriesNumber, "SeriesNumber", .IS),
    (.instanceNumber, "InstanceNumber", .IS),
    (.imagePositionPatient, "ImagePositionPatient", .DS),
    (.imageOrientationPatient, "ImageOrientationPatient", .DS),
    (.frameOfReferenceUID, "FrameOfReferenceUID", .UI),
    (.sliceLocation, "SliceLocation", .DS),
    // Image pixel description.
    (.samplesPerPixel, "SamplesPerPixel", .US),
    (.photometricInterpretation, "PhotometricInterpretation", .CS),
    (.planarConfiguration, "PlanarConfiguration", .US),
    (.numberOfFrames, "NumberOfFrames", .IS),
    (.rows, "Rows", .US),
    (.columns, "Columns", .US),
    (.pixelSpacing, "PixelSpacing", .DS),
    (.bitsAllocated, "BitsAllocated", .US),
    (.bitsStored, "BitsStored", .US),
    (.highBit, "HighBit", .US),
    (.pixelRepresentation, "PixelRepresentation", .US),
    (.pixelPaddingValue, "PixelPaddingValue", .US),
    (.windowCenter, "WindowCenter", .DS),
    (.windowWidth, "WindowWidth", .DS),
    (.rescaleIntercept, "RescaleIntercept", .DS),
    (.rescaleSlope, "RescaleSlope", .DS),
    (.rescaleType, "RescaleType", .LO),
    (.pixelData, "PixelData", .OW),
    // RT Structure Set (PS3.3 C.8.8.5–C.8.8.8).
    (.structureSetLabel, "StructureSetLabel", .SH),
    (.structureSetName, "StructureSetName", .LO),
    (.structureSetDate, "StructureSetDate", .DA),
    (.referencedFrameOfReferenceSequence, "ReferencedFrameOfReferenceSequence", .SQ),
    (.rtReferencedStudySequence, "RTReferencedStudySequence", .SQ),
    (.rtReferencedSeriesSequence, "RTReferencedSeriesSequence", .SQ),
    (.contourImageSequence, "ContourImageSequence", .SQ),
    (.structureSetROISequence, "StructureSetROISequence", .SQ),
    (.roiNumber, "ROINumber", .IS),
    (.referencedFrameOfReferenceUID, "ReferencedFrameOfReferenceUID", .UI),
    (.roiName, "ROIName", .LO),
    (.roiGenerationAlgorithm, "ROIGenerationAlgorithm", .CS),
    (.roiDisplayColor, "ROIDisplayColor", .IS),
    (.contourSequence, "ContourSequence", .SQ),
    (.contourGeometricType, "ContourGeometricType", .CS),
    (.numberOfContourPoints, "NumberOfContourPoints", .IS),
    (.contourNumber, "ContourNumber", .IS),
    (.contourData, "ContourData", .DS),
    (.roiContourSequence, "ROIContourSequence", .SQ),
    (.rtROIObservationsSequence, "RTROIObservationsSequence", .SQ),
    (.observationNumber, "ObservationNumber", .IS),
    (.referencedROINumber, "ReferencedROINumber", .IS),
    (.rtROIInterpretedType, "RTROIInterpretedType", .CS),
    // Sequences common in CT and RTSTRUCT files, so Implicit VR files walk through them.
    (DICOMTag(0x0008, 0x1032), "ProcedureCodeSequence", .SQ),
    (DICOMTag(0x0008, 0x1110), "ReferencedStudySequence", .SQ),
    (DICOMTag(0x0008, 0x1111), "ReferencedPerformedProcedureStepSequence", .SQ),
    (DICOMTag(0x0008, 0x1115), "ReferencedSeriesSequence", .SQ),
    (DICOMTag(0x0008, 0x1140), "ReferencedImageSequence", .SQ),
    (DICOMTag(0x0008, 0x2112), "SourceImageSequence", .SQ),
    (DICOMTag(0x0008, 0x9215), "DerivationCodeSequence", .SQ),
    (DICOMTag(0x0010, 0x1002), "OtherPatientIDsSequence", .SQ),
    (DICOMTag(0x0012, 0x0064), "DeidentificationMethodCodeSequence", .SQ),
    (DICOMTag(0x0018, 0x9346), "CTDIPhantomTypeCodeSequence", .SQ),
    (DICOMTag(0x0028, 0x3000), "ModalityLUTSequence", .SQ),
    (DICOMTag(0x0028, 0x3010), "VOILUTSequence", .SQ),
    (DICOMTag(0x0032, 0x1064), "RequestedProcedureCodeSequence", .SQ),
    (DICOMTag(0x0040, 0x0260), "PerformedProtocolCodeSequence", .SQ),
    (DICOMTag(0x0040, 0x0275), "RequestAttributesSequence", .SQ),
    (DICOMTag(0x0040, 0xA730), "ContentSequence", .SQ),
    (DICOMTag(0x0088, 0x0200), "IconImageSequence", .SQ),
    (DICOMTag(0x3006, 0x0018), "PredecessorStructureSetSequence", .SQ),
    (DICOMTag(0x3006, 0x0086), "RTROIIdentificationCodeSequence", .SQ),
    (DICOMTag(0x3006, 0x00A0), "RelatedRTROIObservationsSequence", .SQ),
    (DICOMTag(0x3006, 0x00B0), "ROIPhysicalPropertiesSequence", .SQ),
    (DICOMTag(0x300E, 0x0002), "ApprovalStatus", .CS),
    (DICOMTag(0x0400, 0x0561), "OriginalAttributesSequence", .SQ),
  ]
}

// Named tags, so code reads `.rows` instead of (0028,0010).
extension DICOMTag {
  public static let fileMetaInformationVersion = DICOMTag(0x0002, 0x0001)
  public static let mediaStorageSOPClassUID = DICOMTag(0x0002, 0x0002)
  public static let mediaStorageSOPInstanceUID = DICOMTag(0x0002, 0x0003)
  public static let transferSyntaxUID = DICOMTag(0x0002, 0x0010)
  public static let implementationClassUID = DICOMTag(0x0002, 0x0012)
  public static let implementationVersionName = DICOMTag(0x0002, 0x0013)

  public static let specificCharacterSet = DICOMTag(0x0008, 0x0005)
  public static let imageType = DICOMTag(0x0008, 0x0008)
  public static let sopClassUID = DICOMTag(0x0008, 0x0016)
  public static let sopInstanceUID = DICOMTag(0x0008, 0x0018)
  public static let studyDate = DICOMTag(0x0008, 0x0020)
  public static let seriesDate = DICOMTag(0x0008, 0x0021)
  public static let modality = DICOMTag(0x0008, 0x0060)
  public static let manufacturer = DICOMTag(0x0008, 0x0070)
  public static let studyDescription = DICOMTag(0x0008, 0x1030)
  public static let seriesDescription = DICOMTag(0x0008, 0x103E)
  public static let referencedSOPClassUID = DICOMTag(0x0008, 0x1150)
  public static let referencedSOPInstanceUID = DICOMTag(0x0008, 0x1155)
  public static let patientName = DICOMTag(0x0010, 0x0010)
  public static let patientID = DICOMTag(0x0010, 0x0020)

  public static let sliceThickness = DICOMTag(0x0018, 0x0050)
  public static let kvp = DICOMTag(0x0018, 0x0060)
  public static let gantryDetectorTilt = DICOMTag(0x0018, 0x1120)
  public static let studyInstanceUID = DICOMTag(0x0020, 0x000D)
  public static let seriesInstanceUID = DICOMTag(0x0020, 0x000E)
  public static let seriesNumber = DICOMTag(0x0020, 0x0011)
  public static let instanceNumber = DICOMTag(0x0020, 0x0013)
  public static let imagePositionPatient = DICOMTag(0x0020, 0x0032)
  public static let imageOrientationPatient = DICOMTag(0x0020, 0x0037)
  public static let frameOfReferenceUID = DICOMTag(0x0020, 0x0052)
  public static let sliceLocation = DICOMTag(0x0020, 0x1041)

  public static let samplesPerPixel = DICOMTag(0x0028, 0x0002)
  public static let photometricInterpretation = DICOMTag(0x0028, 0x0004)
  public static let planarConfiguration = DICOMTag(0x0028, 0x0006)
  public static let numberOfFrames = DICOMTag(0x0028, 0x0008)
  public static let rows = DICOMTag(0x0028, 0x0010)
  public static let columns = DICOMTag(0x0028, 0x0011)
  public static let pixelSpacing = DICOMTag(0x0028, 0x0030)
  public static let bitsAllocated = DICOMTag(0x0028, 0x0100)
  public static let bitsStored = DICOMTag(0x0028, 0x0101)
  public static let highBit = DICOMTag(0x0028, 0x0102)
  public static let pixelRepresentation = DICOMTag(0x0028, 0x0103)
  public static let pixelPaddingValue = DICOMTag(0x0028, 0x0120)
  public static let windowCenter = DICOMTag(0x0028, 0x1050)
  public static let windowWidth = DICOMTag(0x0028, 0x1051)
  public static let rescaleIntercept = DICOMTag(0x0028, 0x1052)
  public static let rescaleSlope = DICOMTag(0x0028, 0x1053)
  public static let rescaleType = DICOMTag(0x0028, 0x1054)
  public static let pixelData = DICOMTag(0x7FE0, 0x0010)

  public static let structureSetLabel = DICOMTag(0x3006, 0x0002)
  public static let structureSetName = DICOMTag(0x3006, 0x0004)
  public static let structureSetDate = DICOMTag(0x3006, 0x0008)
  public static let referencedFrameOfReferenceSequence = DICOMTag(0x3006, 0x0010)
  public static let rtReferencedStudySequence = DICOMTag(0x3006, 0x0012)
  public static let rtReferencedSeriesSequence = DICOMTag(0x3006, 0x0014)
  public static let contourImageSequence = DICOMTag(0x3006, 0x0016)
  public static let structureSetROISequence = DICOMTag(0x3006, 0x0020)
  public static let roiNumber = DICOMTag(0x3006, 0x0022)
  public static let referencedFrameOfReferenceUID = DICOMTag(0x3006, 0x0024)
  public static let roiName = DICOMTag(0x3006, 0x0026)
  public static let roiGenerationAlgorithm = DICOMTag(0x3006, 0x0036)
  public static let roiDisplayColor = DICOMTag(0x3006, 0x002A)
  public static let contourSequence = DICOMTag(0x3006, 0x0040)
  public static let contourGeometricType = DICOMTag(0x3006, 0x0042)
  public static let numberOfContourPoints = DICOMTag(0x3006, 0x0046)
  public static let contourNumber = DICOMTag(0x3006, 0x0048)
  public static let contourData = DICOMTag(0x3006, 0x0050)
  public static let roiContourSequence = DICOMTag(0x3006, 0x0039)
  public static let rtROIObservationsSequence = DICOMTag(0x3006, 0x0080)
  public static let observationNumber = DICOMTag(0x3006, 0x0082)
  public static let referencedROINumber = DICOMTag(0x3006, 0x0084)
  public static let rtROIInterpretedType = DICOMTag(0x3006, 0x00A4)
}

/// SOP classes fgf recognises (PS3.4 Annex B).
public enum DICOMSOPClass {
  public static let ctImage = "1.2.840.10008.5.1.4.1.1.2"
  public static let enhancedCTImage = "1.2.840.10008.5.1.4.1.1.2.1"
  public static let rtStructureSet = "1.2.840.10008.5.1.4.1.1.481.3"
  public static let mediaStorageDirectory = "1.2.840.10008.1.3.10"
}
