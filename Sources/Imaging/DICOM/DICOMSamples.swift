// Small DICOM CT series and RT structure sets with known contents, built with the DICOM writer:
// the tests' files, the fuzz corpus, and a sample for trying `fgf import dicom` without patient
// data. Every HU value is a known function of the voxel's patient position.

import Common

/// What a sample CT series looks like.
public struct CTSampleSpec: Sendable {
  public var patientID = "SAMPLE-001"
  public var studyUID = "2.25.1001"
  public var seriesUID = "2.25.1002"
  public var frameOfReferenceUID = "2.25.1003"
  /// SOP Instance UIDs are this prefix + "." + slice number (1-based, in position order).
  public var sopPrefix = "2.25.1004"
  public var rows = 6
  public var columns = 5
  public var slices = 4
  /// PixelSpacing: between rows, then between columns (mm).
  public var rowSpacing = 0.75
  public var columnSpacing = 0.5
  /// Distance between consecutive slices along the normal (mm).
  public var sliceSpacing = 2.0
  /// Position of the first pixel of the first slice (LPS mm).
  public var origin = SIMD3<Double>(-10, 20, -30)
  /// ImageOrientationPatient: along a row (increasing column), then down a column.
  public var rowDirection = SIMD3<Double>(1, 0, 0)
  public var columnDirection = SIMD3<Double>(0, 1, 0)
  /// In-plane shift of each slice relative to the previous (gantry tilt), LPS mm.
  public var shearPerSlice = SIMD3<Double>(0, 0, 0)
  /// PixelRepresentation 1 (signed) or 0.
  public var signed = true
  public var bitsAllocated = 16
  public var bitsStored = 16
  public var highBit = 15
  public var rescaleSlope = 1.0
  public var rescaleIntercept = 0.0
  /// InstanceNumber of slice k is this order's k-th entry (1-based); default: reversed, so sorting by it would be wrong.
  public var instanceNumbers: [Int]? = nil

  public init() {}

  /// Slice normal.
  public var normal: SIMD3<Double> { cross(rowDirection, columnDirection) }

  /// Patient position of pixel (column c, row r) of slice k.
  public func position(column c: Int, row r: Int, slice k: Int) -> SIMD3<Double> {
    sliceOrigin(k) + Double(c) * columnSpacing * rowDirection + Double(r) * rowSpacing * columnDirection
  }

  /// ImagePositionPatient of slice k.
  public func sliceOrigin(_ k: Int) -> SIMD3<Double> {
    origin + Double(k) * (sliceSpacing * normal + shearPerSlice)
  }

  /// The HU value the sample stores at a patient position: a plane through the volume with a
  /// different slope along each axis, integral at every voxel of axis-aligned samples whose
  /// positions are multiples of 0.25 mm, and inside a signed 12-bit range within ±80 mm.
  public static func hu(at p: SIMD3<Double>) -> Double {
    (4 * p.x + 8 * p.y + 12 * p.z).rounded()
  }
}

public enum DICOMSamples {
  /// The data sets of the sample series' images, in position order (slice 0 first).
  public static func ctImages(_ spec: CTSampleSpec, hu: (SIMD3<Double>) -> Double = CTSampleSpec.hu,
                              encapsulateRLE: Bool = false) -> [DICOMDataSet] {
    (0..<spec.slices).map { k in
      var set = DICOMDataSet()
      set.set(.specificCharacterSet, string: "ISO_IR 100")
      set.set(.imageType, strings: ["ORIGINAL", "PRIMARY", "AXIAL"])
      set.set(.sopClassUID, string: DICOMSOPClass.ctImage)
      set.set(.sopInstanceUID, string: "\(spec.sopPrefix).\(k + 1)")
      set.set(.modality, string: "CT")
      set.set(.patientName, string: "Sample^Patient")
      set.set(.patientID, string: spec.patientID)
      set.set(.sliceThickness, decimals: [spec.sliceSpacing])
      set.set(.studyInstanceUID, string: spec.studyUID)
      set.set(.seriesInstanceUID, string: spec.seriesUID)
      set.set(.seriesNumber, integers: [1])
      let instance = spec.instanceNumbers.map { $0[k] } ?? (spec.slices - k)
      set.set(.instanceNumber, integers: [instance])
      let origin = spec.sliceOrigin(k)
      set.set(.imagePositionPatient, decimals: [origin.x, origin.y, origin.z])
      set.set(.imageOrientationPatient, decimals: [spec.rowDirection.x, spec.rowDirection.y, spec.rowDirection.z,
                                                   spec.columnDirection.x, spec.columnDirection.y, spec.columnDirection.z])
      set.set(.frameOfReferenceUID, string: spec.frameOfReferenceUID)
      set.set(.samplesPerPixel, integers: [1])
      set.set(.photometricInterpretation, string: "MONOCHROME2")
      set.set(.rows, integers: [spec.rows])
      set.set(.columns, integers: [spec.columns])
      set.set(.pixelSpacing, decimals: [spec.rowSpacing, spec.columnSpacing])
      set.set(.bitsAllocated, integers: [spec.bitsAllocated])
      set.set(.bitsStored, integers: [spec.bitsStored])
      set.set(.highBit, integers: [spec.highBit])
      set.set(.pixelRepresentation, integers: [spec.signed ? 1 : 0])
      set.set(.rescaleIntercept, decimals: [spec.rescaleIntercept])
      set.set(.rescaleSlope, decimals: [spec.rescaleSlope])
      set.set(.rescaleType, string: "HU")
      // Stored values, placed at HighBit, with the unused high bits set to garbage (1s) that readers must mask.
      let width = spec.bitsAllocated / 8
      var cells: [UInt8] = []
      cells.reserveCapacity(spec.rows * spec.columns * width)
      let shift = spec.highBit + 1 - spec.bitsStored
      let storedMask = (UInt64(1) << UInt64(spec.bitsStored)) - 1
      let allMask = spec.bitsAllocated == 64 ? UInt64.max : (UInt64(1) << UInt64(spec.bitsAllocated)) - 1
      for r in 0..<spec.rows {
        for c in 0..<spec.columns {
          let value = ((hu(spec.position(column: c, row: r, slice: k)) - spec.rescaleIntercept) / spec.rescaleSlope).rounded()
          let bits = UInt64(bitPattern: Int64(value)) & storedMask
          let garbage = spec.highBit + 1 < spec.bitsAllocated ? (allMask >> UInt64(spec.highBit + 1)) << UInt64(spec.highBit + 1) : 0
          let cell = bits << UInt64(shift) | garbage
          for b in 0..<width { cells.append(UInt8(truncatingIfNeeded: cell >> UInt64(8 * b))) }
        }
      }
      if encapsulateRLE {
        set.setEncapsulatedPixelData(fragments: [DICOMPixels.encodeRLE(cells, bytesPerPixel: width)])
      } else if spec.bitsAllocated == 8 {
        set.set(.pixelData, vr: .OB, bytes: cells)
      } else {
        set.set(.pixelData, vr: .OW, bytes: cells)
      }
      return set
    }
  }

  /// A contour for `rtStructure`: points (LPS mm) and the image it lies on (nil: no reference).
  public struct Contour: Sendable {
    public var points: [SIMD3<Double>]
    public var imageUID: String?
    public var geometricType: String
    public init(points: [SIMD3<Double>], imageUID: String?, geometricType: String = "CLOSED_PLANAR") {
      self.points = points; self.imageUID = imageUID; self.geometricType = geometricType
    }
  }

  /// An RT Structure Set over the sample series with the given ROIs (name, contours).
  public static func rtStructure(_ spec: CTSampleSpec, rois: [(name: String, contours: [Contour])],
                                 sopInstanceUID: String = "2.25.1005", frameOfReferenceUID: String? = nil) -> DICOMDataSet {
    let frame = frameOfReferenceUID ?? spec.frameOfReferenceUID
    var set = DICOMDataSet()
    set.set(.sopClassUID, string: DICOMSOPClass.rtStructureSet)
    set.set(.sopInstanceUID, string: sopInstanceUID)
    set.set(.modality, string: "RTSTRUCT")
    set.set(.patientName, string: "Sample^Patient")
    set.set(.patientID, string: spec.patientID)
    set.set(.studyInstanceUID, string: spec.studyUID)
    set.set(.seriesInstanceUID, string: sopInstanceUID + ".1")
    set.set(.structureSetLabel, string: "SAMPLE")

    var images: [DICOMDataSet] = []
    for k in 0..<spec.slices {
      var image = DICOMDataSet()
      image.set(.referencedSOPClassUID, string: DICOMSOPClass.ctImage)
      image.set(.referencedSOPInstanceUID, string: "\(spec.sopPrefix).\(k + 1)")
      images.append(image)
    }
    var series = DICOMDataSet()
    series.set(.seriesInstanceUID, string: spec.seriesUID)
    series.set(.contourImageSequence, items: images)
    var study = DICOMDataSet()
    study.set(.referencedSOPClassUID, string: "1.2.840.10008.3.1.2.3.1")
    study.set(.referencedSOPInstanceUID, string: spec.studyUID)
    study.set(.rtReferencedSeriesSequence, items: [series])
    var frameItem = DICOMDataSet()
    frameItem.set(.frameOfReferenceUID, string: frame)
    frameItem.set(.rtReferencedStudySequence, items: [study])
    set.set(.referencedFrameOfReferenceSequence, items: [frameItem])

    var roiItems: [DICOMDataSet] = [], contourItems: [DICOMDataSet] = [], observations: [DICOMDataSet] = []
    for (index, roi) in rois.enumerated() {
      var item = DICOMDataSet()
      item.set(.roiNumber, integers: [index + 1])
      item.set(.referencedFrameOfReferenceUID, string: frame)
      item.set(.roiName, string: roi.name)
      item.set(.roiGenerationAlgorithm, string: "MANUAL")
      roiItems.append(item)
      var contours: [DICOMDataSet] = []
      for (number, contour) in roi.contours.enumerated() {
        var c = DICOMDataSet()
        if let uid = contour.imageUID {
          var image = DICOMDataSet()
          image.set(.referencedSOPClassUID, string: DICOMSOPClass.ctImage)
          image.set(.referencedSOPInstanceUID, string: uid)
          c.set(.contourImageSequence, items: [image])
        }
        c.set(.contourGeometricType, string: contour.geometricType)
        c.set(.numberOfContourPoints, integers: [contour.points.count])
        c.set(.contourNumber, integers: [number + 1])
        c.set(.contourData, decimals: contour.points.flatMap { [$0.x, $0.y, $0.z] })
        contours.append(c)
      }
      var roiContour = DICOMDataSet()
      roiContour.set(.roiDisplayColor, integers: [255, 0, 0])
      roiContour.set(.contourSequence, items: contours)
      roiContour.set(.referencedROINumber, integers: [index + 1])
      contourItems.append(roiContour)
      var observation = DICOMDataSet()
      observation.set(.observationNumber, integers: [index + 1])
      observation.set(.referencedROINumber, integers: [index + 1])
      observation.set(.rtROIInterpretedType, string: roi.name.uppercased().hasPrefix("GTV") ? "GTV" : "ORGAN")
      observations.append(observation)
    }
    set.set(.structureSetROISequence, items: roiItems)
    set.set(.roiContourSequence, items: contourItems)
    set.set(.rtROIObservationsSequence, items: observations)
    return set
  }

  /// A closed square contour on slice k of the sample, covering pixel centres
  /// columns c0 ... c1 − 1 and rows r0 ... r1 − 1 (corners half a pixel outside them).
  public static func square(_ spec: CTSampleSpec, slice k: Int, columns c0: Int, _ c1: Int, rows r0: Int, _ r1: Int,
                            reference: Bool = true) -> Contour {
    let corners = [(Double(c0) - 0.5, Double(r0) - 0.5), (Double(c1) - 0.5, Double(r0) - 0.5),
                   (Double(c1) - 0.5, Double(r1) - 0.5), (Double(c0) - 0.5, Double(r1) - 0.5)]
    let points = corners.map { c, r in
      spec.sliceOrigin(k) + c * spec.columnSpacing * spec.rowDirection + r * spec.rowSpacing * spec.columnDirection
    }
    return Contour(points: points, imageUID: reference ? "\(spec.sopPrefix).\(k + 1)" : nil)
  }
}
