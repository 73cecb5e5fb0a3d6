// CohortSource: what the rest of fgf needs from a cohort, whatever it is made of (a cohort
// directory of NIfTI files, or the built-in synthetic demo generated on demand).

import Common

/// A dataset split (DESIGN §4).
public enum Split: String, Sendable, CaseIterable, Codable {
  case train, val, test
}

/// One row of a cohort: the patient and where their volumes are.
public struct PatientRecord: Sendable, Equatable {
  /// Unique patient identifier.
  public var id: String
  /// Distant metastasis: 0 or 1.
  public var label: Int
  public var split: Split
  /// Image and mask paths relative to the cohort directory (empty for generated cohorts).
  public var image: String
  public var mask: String
  /// Extra (clinical and ground-truth) columns in the order of `CohortSource.extraColumns`.
  public var extra: [String]
  /// 1-based line of cohort.csv this row came from (0 for generated cohorts), for error messages.
  public var line: Int

  public init(id: String, label: Int, split: Split, image: String, mask: String, extra: [String], line: Int) {
    self.id = id; self.label = label; self.split = split
    self.image = image; self.mask = mask; self.extra = extra; self.line = line
  }
}

/// A cohort: its patients, and their volumes on request.
public protocol CohortSource: Sendable {
  /// A short human name: the directory path, or "demo".
  var name: String { get }
  /// Names of the extra columns of every `PatientRecord.extra`, in order.
  var extraColumns: [String] { get }
  /// All patients, in file (or generation) order.
  var patients: [PatientRecord] { get }
  /// Loads the CT volume (HU, canonical orientation) and GTV mask of `patient`.
  func volumes(for patient: PatientRecord) throws(FileError) -> (image: Volume, mask: Mask)
  /// A string that changes whenever the patient's source data changes (file sizes and
  /// modification times, or the generator's seed and version): the key of cached crops.
  func fingerprint(for patient: PatientRecord) -> String
  /// The directory holding the cohort's files, or nil (see the default below).
  var directory: String? { get }
  /// Where `patient` comes from, for error messages (see the default below).
  func origin(of patient: PatientRecord) -> (path: String, place: String)
}

extension CohortSource {
  /// The directory holding the cohort's files (a crop cache may go beside them); nil by default,
  /// for cohorts that are generated rather than read.
  public var directory: String? { nil }

  /// Where `patient` comes from, for error messages: a file and a place in it. By default the
  /// cohort's name and the patient id; a cohort directory names cohort.csv and the row's line.
  public func origin(of patient: PatientRecord) -> (path: String, place: String) {
    (name, "patient \(patient.id)")
  }
}
