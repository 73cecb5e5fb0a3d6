// One patient of a DICOM import: choose the RT structure set with an ROI matching the patterns and
// the CT series it was drawn on, assemble the series, rasterise the ROIs, read the HU volume —
// or say, in one ImportSkip, why the patient cannot be imported.

import Common

public struct DICOMPatientVolumes: Sendable {
  public var volume: Volume
  public var mask: Mask
  /// Names of the ROIs united into the mask, and the pattern that chose them.
  public var roiNames: [String]
  public var pattern: String
  public var seriesInstanceUID: String
  public var structureSetPath: String
  /// Problems that did not stop the import (spacing, tilt, contours left out, other RTSTRUCTs).
  public var warnings: [String]
}

public enum DICOMPatientBuilder {
  /// The CT volume and GTV mask of `patient`, or why not.
  public static func build(_ patient: DICOMScan.Patient, selector: ROISelector) -> Result<DICOMPatientVolumes, ImportSkip> {
    guard !patient.structureSets.isEmpty else {
      let series = patient.ctSeries.count + patient.ctProblems.keys.filter { patient.ctSeries[$0] == nil }.count
      return .failure(ImportSkip(.noStructureSet, "\(series) CT series but no RT structure set"))
    }
    guard !patient.ctSeries.isEmpty || !patient.ctProblems.isEmpty else {
      return .failure(ImportSkip(.noCT, "an RT structure set but no CT images"))
    }

    // Structure sets with a matching ROI, in path order.
    var candidates: [(set: RTStructureSet, rois: [RTROI], pattern: String)] = []
    var unreadable: [String] = []
    var names: [String] = []
    for file in patient.structureSets.sorted(by: { $0.path < $1.path }) {
      do {
        let set = try RTStructureSet(DICOMReader.read(file.path))
        if let chosen = selector.select(set.rois) {
          candidates.append((set, chosen.rois, chosen.pattern))
        } else {
          names += set.rois.map { $0.contours.isEmpty ? "\($0.name) (no contours)" : $0.name }
        }
      } catch {
        unreadable.append(error.description)
      }
    }
    guard !candidates.isEmpty else {
      if names.isEmpty && !unreadable.isEmpty { return .failure(ImportSkip(.unreadable, unreadable[0])) }
      let listed = names.isEmpty ? "the structure sets have no ROIs" : "ROIs are " + names.map { "\"\($0)\"" }.joined(separator: ", ")
      return .failure(ImportSkip(.noMatchingROI, "no ROI with contours matches \(selector.patterns.map { "\"\($0)\"" }.joined(separator: " or ")); \(listed)"))
    }

    var failures: [ImportSkip] = []
    for (index, candidate) in candidates.enumerated() {
      guard let seriesUID = series(for: candidate.set, rois: candidate.rois, in: patient) else {
        let wanted = candidate.set.referencedSeriesUIDs.isEmpty ? "frame of reference \(candidate.set.frameOfReferenceUIDs.joined(separator: ", "))"
                                                               : "series \(candidate.set.referencedSeriesUIDs.joined(separator: ", "))"
        failures.append(ImportSkip(.mismatch, "\(candidate.set.path) was drawn on CT \(wanted), which is not among the files"))
        continue
      }
      if let problems = patient.ctProblems[seriesUID], let first = problems.first {
        failures.append(ImportSkip(.unreadable, "CT series \(seriesUID): \(first)\(problems.count > 1 ? " (and \(problems.count - 1) more files)" : "")"))
        continue
      }
      let headers = patient.ctSeries[seriesUID] ?? []
      if let compressed = headers.first(where: { $0.transferSyntax.pixels == .unsupported }) {
        failures.append(ImportSkip(.unsupportedSyntax, "CT series \(seriesUID) is stored as \(compressed.transferSyntax.name) (\(compressed.transferSyntax.uid)); convert it to an uncompressed or RLE syntax (e.g. gdcmconv --raw)"))
        continue
      }
      do {
        let series: CTSeries
        do { series = try CTSeries(headers) } catch {
          failures.append(ImportSkip(.inconsistentSeries, error.description))
          continue
        }
        let raster: RTStructRasterizer.Result
        do { raster = try RTStructRasterizer.mask(candidate.rois, of: candidate.set, on: series) } catch {
          failures.append(ImportSkip(.mismatch, error.description))
          continue
        }
        guard raster.mask.voxels.contains(1) else {
          failures.append(ImportSkip(.emptyMask, "ROI \(candidate.rois.map { "\"\($0.name)\"" }.joined(separator: ", ")) of \(candidate.set.path) covers no voxel of CT series \(seriesUID)"
                                     + (raster.warnings.isEmpty ? "" : " (\(raster.warnings.joined(separator: "; ")))")))
          continue
        }
        let volume = try series.volume()
        var warnings = series.warnings + raster.warnings
        let others = candidates.count - index - 1
        if others > 0 { warnings.append("\(others) other RT structure set\(others == 1 ? "" : "s") with a matching ROI not used") }
        return .success(DICOMPatientVolumes(volume: volume, mask: raster.mask, roiNames: candidate.rois.map(\.name),
                                            pattern: candidate.pattern, seriesInstanceUID: seriesUID,
                                            structureSetPath: candidate.set.path, warnings: warnings))
      } catch {
        failures.append(ImportSkip(.unreadable, error.description))
      }
    }
    var first = failures[0]
    if failures.count > 1 { first.detail += " (and \(failures.count - 1) other structure set\(failures.count == 2 ? "" : "s") failed too)" }
    return .failure(first)
  }

  /// The CT series a structure set was drawn on: the series it names, else the series holding
  /// the images its contours name, else the series in its frame of reference (the largest), else
  /// the patient's only series.
  static func series(for set: RTStructureSet, rois: [RTROI], in patient: DICOMScan.Patient) -> String? {
    let known = Set(patient.ctSeries.keys).union(patient.ctProblems.keys)
    if let named = set.referencedSeriesUIDs.first(where: { known.contains($0) }) { return named }
    var images = set.referencedImageUIDs
    for roi in rois { for contour in roi.contours { images.formUnion(contour.referencedSOPInstanceUIDs) } }
    if !images.isEmpty {
      for (uid, headers) in patient.ctSeries.sorted(by: { $0.key < $1.key }) where headers.contains(where: { images.contains($0.sopInstanceUID) }) {
        return uid
      }
    }
    let frames = Set(set.frameOfReferenceUIDs + rois.compactMap(\.frameOfReferenceUID))
    let inFrame = patient.ctSeries.filter { frames.contains($0.value.first?.frameOfReferenceUID ?? "") }
    if let largest = inFrame.sorted(by: { ($0.value.count, $1.key) > ($1.value.count, $0.key) }).first { return largest.key }
    if frames.isEmpty && set.referencedSeriesUIDs.isEmpty && images.isEmpty && known.count == 1 { return known.first }
    return nil
  }
}
