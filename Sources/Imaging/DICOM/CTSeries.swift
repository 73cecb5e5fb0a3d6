// A CT series assembled from its images' headers: one orientation, size and pixel spacing,
// slices sorted by position along the slice normal (never by InstanceNumber), spacing from the
// median position difference, and the problems real series have (duplicates, gaps, gantry
// tilt) either refused or reported. Geometry only: `CTSeries+Volume` reads the pixels.

import Common
import Glibc

public struct CTSeries: Sendable {
  /// The images, sorted by position along the normal (increasing).
  public var slices: [CTImageHeader]
  public var seriesInstanceUID: String
  public var frameOfReferenceUID: String?
  public var rows: Int
  public var columns: Int
  public var rowDirection: SIMD3<Double>
  public var columnDirection: SIMD3<Double>
  /// rowDirection × columnDirection.
  public var normal: SIMD3<Double>
  /// Distance between rows and between columns (PixelSpacing[0], [1]).
  public var rowSpacing: Double
  public var columnSpacing: Double
  /// Median distance between consecutive slices along the normal.
  public var sliceSpacing: Double
  /// Position of each slice along the normal (mm), in slice order.
  public var sliceOffsets: [Double]
  /// World step from one slice to the next: sliceSpacing × normal plus any in-plane shear (gantry tilt).
  public var sliceStep: SIMD3<Double>
  /// Problems that did not stop assembly (non-uniform spacing within tolerance, gantry tilt, duplicates).
  public var warnings: [String]

  /// Relative deviation of a slice gap from the median above which the spacing is called non-uniform (a warning).
  public static let spacingWarning = 0.01
  /// Relative deviation above which the series is refused (missing slices, mixed acquisitions).
  public static let spacingLimit = 0.1

  /// Assembles a series from the headers of its images (any order).
  public init(_ images: [CTImageHeader]) throws(FileError) {
    guard let first = images.first else {
      throw FileError(path: "", problem: "a CT series needs at least one image")
    }
    let place = "series \(first.seriesInstanceUID)"
    func refuse(_ problem: String, _ path: String = first.path, hint: String? = nil) -> FileError {
      FileError(path: path, place: place, problem: problem, hint: hint)
    }
    if case .unsupported = first.transferSyntax.pixels {
      throw refuse("pixel data are compressed as \(first.transferSyntax.name) (transfer syntax \(first.transferSyntax.uid)), which fgf does not decode",
                   hint: "convert the series to an uncompressed or RLE transfer syntax, e.g. `gdcmconv --raw` or `dcmdjpeg`")
    }
    for image in images {
      guard image.seriesInstanceUID == first.seriesInstanceUID else {
        throw refuse("belongs to series \(image.seriesInstanceUID), not \(first.seriesInstanceUID)", image.path)
      }
      guard image.format.rows == first.format.rows && image.format.columns == first.format.columns else {
        throw refuse("is \(image.format.rows)×\(image.format.columns) pixels but \(first.path) is \(first.format.rows)×\(first.format.columns)", image.path)
      }
      let tilt = max(vectorLength(image.rowDirection - first.rowDirection), vectorLength(image.columnDirection - first.columnDirection))
      guard tilt < 1e-4 else {
        throw refuse("image orientation differs from that of \(first.path)", image.path, hint: "the series mixes orientations")
      }
      guard abs(image.rowSpacing - first.rowSpacing) <= 1e-4 * first.rowSpacing,
            abs(image.columnSpacing - first.columnSpacing) <= 1e-4 * first.columnSpacing else {
        throw refuse("pixel spacing \(image.rowSpacing)\\\(image.columnSpacing) differs from \(first.rowSpacing)\\\(first.columnSpacing) of \(first.path)", image.path)
      }
      guard image.frameOfReferenceUID == first.frameOfReferenceUID else {
        throw refuse("frame of reference \(image.frameOfReferenceUID ?? "none") differs from \(first.frameOfReferenceUID ?? "none") of \(first.path)", image.path)
      }
      if case .unsupported = image.transferSyntax.pixels {
        throw refuse("pixel data are compressed as \(image.transferSyntax.name) (transfer syntax \(image.transferSyntax.uid)), which fgf does not decode", image.path)
      }
    }
    let normal = first.normal
    var warnings: [String] = []

    // Sort along the normal; the same image stored twice is dropped, two images at one position refused.
    var sorted = images.sorted { dot($0.position, normal) < dot($1.position, normal) }
    var unique: [CTImageHeader] = []
    for image in sorted {
      if let last = unique.last, abs(dot(image.position, normal) - dot(last.position, normal)) < 1e-3 {
        if image.sopInstanceUID == last.sopInstanceUID {
          warnings.append("\(image.path) repeats image \(image.sopInstanceUID) of \(last.path); one copy is used")
          continue
        }
        throw refuse("images \(last.path) and \(image.path) are at the same position (\(formatMM(dot(image.position, normal))) mm along the slice normal)",
                     image.path, hint: "the series holds several acquisitions or duplicated slices")
      }
      unique.append(image)
    }
    sorted = unique
    guard sorted.count >= 2 else {
      throw refuse("has \(sorted.count) distinct slice; at least 2 are needed to know the slice spacing")
    }

    let offsets = sorted.map { dot($0.position, normal) }
    let gaps = (1..<offsets.count).map { offsets[$0] - offsets[$0 - 1] }
    let median = gaps.sorted()[gaps.count / 2] / 2 + gaps.sorted()[(gaps.count - 1) / 2] / 2
    var worst = 0
    for k in gaps.indices where abs(gaps[k] - median) > abs(gaps[worst] - median) { worst = k }
    let deviation = abs(gaps[worst] - median)
    if deviation > CTSeries.spacingLimit * median {
      throw refuse("slice spacing is not uniform: \(formatMM(gaps[worst])) mm between \(sorted[worst].path) and \(sorted[worst + 1].path), median \(formatMM(median)) mm",
                   sorted[worst + 1].path, hint: "slices may be missing, or the series mixes acquisitions")
    }
    if deviation > CTSeries.spacingWarning * median {
      warnings.append("slice spacing varies by up to \(formatMM(deviation)) mm around the median \(formatMM(median)) mm; the median is used")
    }

    // In-plane drift of the slice origins: a straight line means gantry tilt (kept as shear in
    // the affine); anything else is not a regular grid.
    let firstOffset = offsets[0], span = offsets[offsets.count - 1] - offsets[0]
    let drift = sorted[sorted.count - 1].position - sorted[0].position - span * normal
    let minPixel = min(first.rowSpacing, first.columnSpacing)
    for (k, image) in sorted.enumerated() {
      let expected = sorted[0].position + (offsets[k] - firstOffset) * normal + (offsets[k] - firstOffset) / span * drift
      let miss = vectorLength(image.position - expected)
      guard miss <= 0.1 * minPixel else {
        throw refuse("slice origin is \(formatMM(miss)) mm off the line through the first and last slices", image.path,
                     hint: "the slices do not form a regular grid")
      }
    }
    let shearPerSlice = drift * (median / span)
    if vectorLength(drift) > 0.05 {
      let degrees = atan2Degrees(vectorLength(shearPerSlice), median)
      warnings.append("gantry tilt of \(formatMM(degrees))°: slices are sheared in-plane by \(formatMM(vectorLength(shearPerSlice))) mm per slice; the affine keeps the shear exactly and voxels are not resampled")
    }

    self.slices = sorted
    self.seriesInstanceUID = first.seriesInstanceUID
    self.frameOfReferenceUID = first.frameOfReferenceUID
    self.rows = first.format.rows
    self.columns = first.format.columns
    self.rowDirection = first.rowDirection
    self.columnDirection = first.columnDirection
    self.normal = normal
    self.rowSpacing = first.rowSpacing
    self.columnSpacing = first.columnSpacing
    self.sliceSpacing = median
    self.sliceOffsets = offsets
    self.sliceStep = median * normal + shearPerSlice
    self.warnings = warnings
  }

  /// Source array dimensions, fastest first: columns, rows, slices.
  public var sourceDimensions: [Int] { [columns, rows, slices.count] }

  /// Voxel-to-world affine of the [slice][row][column] array (row-major 4×4, LPS mm): columns
  /// step along a row, rows down a column, slices by `sliceStep` from the first slice's position.
  public var storedAffine: [Double] {
    let steps = [columnSpacing * rowDirection, rowSpacing * columnDirection, sliceStep]
    let origin = slices[0].position
    return [steps[0].x, steps[1].x, steps[2].x, origin.x,
            steps[0].y, steps[1].y, steps[2].y, origin.y,
            steps[0].z, steps[1].z, steps[2].z, origin.z,
            0, 0, 0, 1]
  }

  /// How the [slice][row][column] array maps to the canonical LPS array (nearest axes, as for NIfTI).
  public var reorientation: Reorientation {
    Reorientation(storedDimensions: sourceDimensions, affine: storedAffine)
  }

  /// The canonical grid: dimensions, the exact affine, and spacing as the lengths of the
  /// affine's columns (as NIfTI files give it), so a tilted series' slice spacing is the
  /// distance between consecutive slice origins.
  public var grid: Grid { reorientation.canonicalGrid(storedAffine: storedAffine) }

  /// Index of the slice with this SOP Instance UID.
  public func sliceIndex(sopInstanceUID uid: String) -> Int? {
    slices.firstIndex { $0.sopInstanceUID == uid }
  }
}

/// Millimetres with up to 3 decimals, for messages.
func formatMM(_ value: Double) -> String {
  let rounded = (value * 1000).rounded() / 1000
  return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}

func atan2Degrees(_ y: Double, _ x: Double) -> Double {
  Glibc.atan2(y, x) * 180 / Double.pi
}
