// RTSTRUCT contours → a binary mask on a CT series' canonical grid. Each CLOSED_PLANAR contour is
// put on a slice (by its referenced image when that image is in the series, else the nearest
// slice within half a spacing), mapped from patient mm to that slice's pixel coordinates, and
// filled by the even-odd rule on pixel centres, so an inner contour makes a hole. Several ROIs
// are united. The structure set's frame of reference must be the series'.

import Common

public struct RTStructRasterizer {
  /// The mask and what was left out or guessed, in words.
  public struct Result: Sendable {
    public var mask: Mask
    /// Contours filled into the mask.
    public var contoursUsed: Int
    public var warnings: [String]
  }

  /// The union of `rois` of `structureSet` as a mask on `series`' canonical grid.
  public static func mask(_ rois: [RTROI], of structureSet: RTStructureSet, on series: CTSeries) throws(FileError) -> Result {
    try checkFrameOfReference(rois, structureSet, series)
    let plane = series.rows * series.columns
    var union = [UInt8](repeating: 0, count: plane * series.slices.count)
    var used = 0
    var skippedType: [String: Int] = [:]
    var tooFew = 0, outside = 0, byPosition = 0
    var uidToSlice: [String: Int] = [:]
    for (k, slice) in series.slices.enumerated() { uidToSlice[slice.sopInstanceUID] = k }

    for roi in rois {
      var polygonsBySlice: [Int: [[SIMD2<Double>]]] = [:]
      for contour in roi.contours {
        guard contour.geometricType == "CLOSED_PLANAR" else {
          skippedType[contour.geometricType.isEmpty ? "untyped" : contour.geometricType, default: 0] += 1
          continue
        }
        guard contour.points.count >= 3 else { tooFew += 1; continue }
        var sliceIndex = contour.referencedSOPInstanceUIDs.lazy.compactMap { uidToSlice[$0] }.first
        if sliceIndex == nil {
          if !contour.referencedSOPInstanceUIDs.isEmpty { byPosition += 1 }
          sliceIndex = nearestSlice(contour.points, series)
        }
        guard let k = sliceIndex else { outside += 1; continue }
        let slice = series.slices[k]
        let polygon = contour.points.map { point -> SIMD2<Double> in
          let offset = point - slice.position
          return SIMD2(dot(offset, slice.rowDirection) / series.columnSpacing, dot(offset, slice.columnDirection) / series.rowSpacing)
        }
        polygonsBySlice[k, default: []].append(polygon)
        used += 1
      }
      for (k, polygons) in polygonsBySlice {
        fillEvenOdd(polygons, rows: series.rows, columns: series.columns) { row, first, last in
          let base = k * plane + row * series.columns
          for c in first...last { union[base + c] = 1 }
        }
      }
    }

    var warnings: [String] = []
    for (type, count) in skippedType.sorted(by: { $0.key < $1.key }) {
      warnings.append("\(count) \(type) contour\(count == 1 ? "" : "s") ignored (only CLOSED_PLANAR contours enclose a volume)")
    }
    if tooFew > 0 { warnings.append("\(tooFew) contour\(tooFew == 1 ? "" : "s") with fewer than 3 points ignored") }
    if byPosition > 0 {
      warnings.append("\(byPosition) contour\(byPosition == 1 ? "" : "s") reference images not in the series; placed by position")
    }
    if outside > 0 {
      warnings.append("\(outside) contour\(outside == 1 ? "" : "s") more than half a slice spacing from every slice ignored")
    }
    let voxels = series.reorientation.apply(union)
    return Result(mask: Mask(grid: series.grid, voxels: voxels), contoursUsed: used, warnings: warnings)
  }

  /// The slice nearest the contour's mean position along the normal, if within half a spacing.
  static func nearestSlice(_ points: [SIMD3<Double>], _ series: CTSeries) -> Int? {
    let offset = points.reduce(0.0) { $0 + dot($1, series.normal) } / Double(points.count)
    var best = 0
    for k in series.sliceOffsets.indices where abs(series.sliceOffsets[k] - offset) < abs(series.sliceOffsets[best] - offset) {
      best = k
    }
    return abs(series.sliceOffsets[best] - offset) <= series.sliceSpacing / 2 + 1e-6 ? best : nil
  }

  /// Fills `polygons` (pixel coordinates: x = column, y = row) by the even-odd rule over all their
  /// edges together. A pixel centre (c, r) is inside when a ray from it crosses an odd number of
  /// edges; edges are half-open in y and spans half-open in x, so polygons that share an edge
  /// never both claim a pixel and a square from a to b covers b − a pixels per side.
  /// `fill(row, firstColumn, lastColumn)` receives each inside run.
  public static func fillEvenOdd(_ polygons: [[SIMD2<Double>]], rows: Int, columns: Int, fill: (Int, Int, Int) -> Void) {
    var minY = Double.infinity, maxY = -Double.infinity
    for polygon in polygons {
      for point in polygon {
        minY = Swift.min(minY, point.y)
        maxY = Swift.max(maxY, point.y)
      }
    }
    guard minY.isFinite, maxY.isFinite else { return }
    // Coordinates are clamped before they become Int: a contour far outside the image (or a
    // crossing that overflowed to ±∞) would otherwise trap on the conversion.
    func clamped(_ value: Double, _ upper: Int) -> Double { Swift.min(Swift.max(value, -1), Double(upper)) }
    let firstRow = Swift.max(0, Int(clamped(minY, rows).rounded(.up)))
    let lastRow = Swift.min(rows - 1, Int(clamped(maxY, rows).rounded(.down)))
    guard firstRow <= lastRow else { return }
    var crossings: [Double] = []
    for row in firstRow...lastRow {
      let y = Double(row)
      crossings.removeAll(keepingCapacity: true)
      for polygon in polygons {
        guard var previous = polygon.last else { continue }
        for point in polygon {
          if (previous.y <= y && y < point.y) || (point.y <= y && y < previous.y) {
            let x = previous.x + (y - previous.y) * (point.x - previous.x) / (point.y - previous.y)
            if !x.isNaN { crossings.append(x) }
          }
          previous = point
        }
      }
      crossings.sort()
      var i = 0
      while i + 1 < crossings.count {
        // Columns c with crossings[i] ≤ c < crossings[i+1].
        let first = Swift.max(0, Int(clamped(crossings[i], columns).rounded(.up)))
        let last = Swift.min(columns - 1, Int(clamped(crossings[i + 1], columns).rounded(.up)) - 1)
        if first <= last { fill(row, first, last) }
        i += 2
      }
    }
  }

  static func checkFrameOfReference(_ rois: [RTROI], _ structureSet: RTStructureSet, _ series: CTSeries) throws(FileError) {
    guard let ctFrame = series.frameOfReferenceUID else { return }
    for roi in rois {
      if let frame = roi.frameOfReferenceUID {
        guard frame == ctFrame else {
          throw FileError(path: structureSet.path, place: "ROI \"\(roi.name)\"",
                          problem: "is in frame of reference \(frame), but the CT series \(series.seriesInstanceUID) is in \(ctFrame)",
                          hint: "the structure set was drawn on another scan")
        }
      } else if !structureSet.frameOfReferenceUIDs.isEmpty && !structureSet.frameOfReferenceUIDs.contains(ctFrame) {
        throw FileError(path: structureSet.path, place: "ReferencedFrameOfReferenceSequence",
                        problem: "names frames of reference \(structureSet.frameOfReferenceUIDs.joined(separator: ", ")), not the CT series' \(ctFrame)",
                        hint: "the structure set was drawn on another scan")
      }
    }
  }
}
