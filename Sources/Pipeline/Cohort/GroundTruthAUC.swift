// GroundTruthAUC: the Bayes AUC of a cohort that carries its generator's true risk (a
// `true_risk` column, as `fgf synth` writes): the ROC AUC of the true probabilities against the
// drawn labels, per split and over all patients. It is the ceiling any model can reach on that
// cohort, and the acceptance target of issue 4 is stated against it.

import Engine
import Imaging

public struct GroundTruthAUC: Sendable, Equatable {
  /// The column holding each patient's true probability of DM.
  public static let riskColumn = "true_risk"

  /// AUC over all patients, and per split (nil where a split lacks a class or has no patients).
  public var all: Double?
  public var bySplit: [Split: Double]
  /// Patients whose risk cell was not a finite number in [0, 1] (left out, listed by id).
  public var unreadable: [String]

  /// nil when the cohort has no `true_risk` column.
  public init?(patients: [PatientRecord], extraColumns: [String]) {
    guard let column = extraColumns.firstIndex(of: Self.riskColumn) else { return nil }
    var scored: [(risk: Double, patient: PatientRecord)] = []
    var unreadable: [String] = []
    for patient in patients {
      if column < patient.extra.count, let risk = Double(patient.extra[column]), risk.isFinite, (0...1).contains(risk) {
        scored.append((risk, patient))
      } else {
        unreadable.append(patient.id)
      }
    }
    func auc(_ members: [(risk: Double, patient: PatientRecord)]) -> Double? {
      rocAUC(scores: members.map(\.risk), labels: members.map(\.patient.label))
    }
    all = auc(scored)
    var bySplit: [Split: Double] = [:]
    for split in Split.allCases { bySplit[split] = auc(scored.filter { $0.patient.split == split }) }
    self.bySplit = bySplit
    self.unreadable = unreadable
  }
}
