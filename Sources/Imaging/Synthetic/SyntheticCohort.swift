// SyntheticCohort: the built-in demo cohort and what `fgf synth` writes. Opening it draws only each
// patient's parameters and label (fast); a patient's CT and GTV are generated on request, always
// identically, from the patient's own random streams.

import Common

public struct SyntheticCohort: CohortSource {
  /// Changes whenever the generator's output changes (part of every fingerprint).
  public static let generatorVersion = 1
  /// The demo: this seed, 300 patients.
  public static let demoSeed: UInt64 = 20_250_301
  public static let demoPatients = 300

  /// Clinical columns, then the generator's ground truth: true volume (mm³), irregularity,
  /// heterogeneity and DM probability, and the negative controls (mean tumour HU, tumour centre).
  public static let extraColumns = [
    "age", "sex", "t_stage", "n_stage", "hpv",
    "true_volume_mm3", "true_irregularity", "true_heterogeneity", "true_risk",
    "tumour_mean_hu", "tumour_centre_x_mm", "tumour_centre_y_mm", "tumour_centre_z_mm",
  ]

  public let seed: UInt64
  public let name: String
  public var extraColumns: [String] { Self.extraColumns }
  public let patients: [PatientRecord]
  /// The drawn parameters and ground truth of every patient, in `patients` order.
  public let groundTruth: [SyntheticPatient]
  private let indexByID: [String: Int]

  /// The built-in demo cohort: seed `demoSeed`, 300 patients, split 60/20/20 stratified by label.
  public static func demo() -> SyntheticCohort {
    SyntheticCohort(patients: demoPatients, seed: demoSeed, name: "demo")
  }

  /// A cohort of `patients` (≥ 0) synthetic patients from `seed`. Patient i is the same in every
  /// cohort of the same seed, whatever its size; the split (60/20/20 train/val/test, stratified by
  /// label, shuffled from the seed) depends on the whole cohort.
  public init(patients: Int, seed: UInt64) {
    self.init(patients: patients, seed: seed, name: "synthetic (seed \(seed), \(max(0, patients)) patients)")
  }

  private init(patients count: Int, seed: UInt64, name: String) {
    self.seed = seed
    self.name = name
    let n = max(0, count)
    let drawn = Parallel.map(n) { SyntheticPatient(seed: seed, index: $0, count: n) }
    let splits = Self.stratifiedSplits(labels: drawn.map(\.label), seed: seed)
    groundTruth = drawn
    patients = drawn.indices.map { i in
      PatientRecord(id: drawn[i].id, label: drawn[i].label, split: splits[i], image: "", mask: "",
                    extra: drawn[i].extraValues, line: 0)
    }
    var lookup: [String: Int] = [:]
    for (i, patient) in drawn.enumerated() { lookup[patient.id] = i }
    indexByID = lookup
  }

  /// Train/val/test for each patient: within each label, a seeded shuffle, then the first
  /// round(0.6 n) train, the next round(0.2 n) val, the rest test.
  static func stratifiedSplits(labels: [Int], seed: UInt64) -> [Split] {
    var random = SeededRandom(seed: seed, stream: 0)
    var splits = [Split](repeating: .train, count: labels.count)
    for label in [0, 1] {
      var members = labels.indices.filter { labels[$0] == label }
      random.shuffle(&members)
      let train = Int((0.6 * Double(members.count)).rounded()), val = Int((0.2 * Double(members.count)).rounded())
      for (rank, i) in members.enumerated() {
        splits[i] = rank < train ? .train : rank < train + val ? .val : .test
      }
    }
    return splits
  }

  /// The ground truth of the patient with this id.
  public func groundTruth(for id: String) -> SyntheticPatient? {
    indexByID[id].map { groundTruth[$0] }
  }

  /// Generates the patient's CT (HU, integral values) and GTV mask.
  public func volumes(for patient: PatientRecord) throws(FileError) -> (image: Volume, mask: Mask) {
    guard let index = indexByID[patient.id] else {
      throw FileError(path: name, place: "patient \(patient.id)", problem: "no such patient in this synthetic cohort",
                      hint: "patient ids run from \(patients.first?.id ?? "-") to \(patients.last?.id ?? "-")")
    }
    return SyntheticPhantom.volumes(for: groundTruth[index], seed: seed)
  }

  /// The generator version, seed and patient index: all a synthetic patient's data depends on.
  public func fingerprint(for patient: PatientRecord) -> String {
    "fgf-synthetic-v\(Self.generatorVersion):seed=\(seed):patient=\(indexByID[patient.id] ?? -1)"
  }
}
