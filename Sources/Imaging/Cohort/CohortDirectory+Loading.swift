// CohortDirectory+Loading: a patient's voxels, read when first needed, with problems only the
// data shows (a truncated or corrupt file, a file changed since opening) reported at the
// patient's cohort.csv line; and the fingerprint that keys cached crops.

import Common
import Glibc

extension CohortDirectory {
  /// Reads the patient's image (HU) and mask. An empty mask is not checked here: preprocessing
  /// reports it (also at the patient's line).
  public func volumes(for patient: PatientRecord) throws(FileError) -> (image: Volume, mask: Mask) {
    guard let found = files[patient.id] else {
      throw FileError(path: tablePath, problem: "patient \(patient.id) is not in this cohort")
    }
    let image: Volume, mask: Mask
    do {
      image = try NIfTIFile.readVolume(found.image)
    } catch {
      throw CohortDirectory.rowError(patient, table: tablePath, file: "image \(patient.image)", error)
    }
    do {
      mask = try NIfTIFile.readMask(found.mask)
    } catch {
      throw CohortDirectory.rowError(patient, table: tablePath, file: "mask \(patient.mask)", error)
    }
    // The files may have been replaced since the cohort was opened.
    if let mismatch = CohortDirectory.geometryMismatch(image: image.grid, mask: mask.grid) {
      throw FileError(path: tablePath, place: "line \(patient.line)", problem: "patient \(patient.id): \(mismatch)",
                      hint: "the mask must be drawn on the image's voxel grid; resample it onto the image")
    }
    return (image, mask)
  }

  /// Sizes and modification times (ns) of the image and mask files (and their data files for
  /// .hdr/.img pairs), their paths, and the preprocessing version. A file that cannot be read
  /// shows as "missing", so a cached crop is not used for it.
  public func fingerprint(for patient: PatientRecord) -> String {
    guard let found = files[patient.id] else { return "unknown patient" }
    var parts = [found.image, found.mask]
    if found.imageData != found.image { parts.append(found.imageData) }
    if found.maskData != found.mask { parts.append(found.maskData) }
    let stamps = parts.map { "\($0) \(CohortDirectory.stamp($0))" }
    return stamps.joined(separator: "; ") + "; preprocess \(Preprocessor.version)"
  }

  /// "size:mtime-ns" of a file, or "missing".
  static func stamp(_ path: String) -> String {
    var info = stat()
    guard stat(path, &info) == 0 else { return "missing" }
    let nanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    return "\(info.st_size):\(nanoseconds)"
  }
}
