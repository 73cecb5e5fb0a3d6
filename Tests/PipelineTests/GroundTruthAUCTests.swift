// GroundTruthAUC on hand-built records whose AUC is counted by hand: per split, over all, a cohort
// without the risk column, and unreadable risk cells.

import Testing
import Imaging
import Pipeline

@Suite struct GroundTruthAUCTests {
  static func record(_ id: String, _ label: Int, _ split: Split, risk: String) -> PatientRecord {
    PatientRecord(id: id, label: label, split: split, image: "", mask: "", extra: ["61", risk], line: 0)
  }

  @Test func countsConcordantPairs() throws {
    // train: positives 0.35 and 0.8 against negatives 0.1 and 0.4 → 3 of 4 pairs ordered: 0.75.
    // test: positive 0.5 ties negative 0.5 and beats 0.2 → (0.5 + 1)/2 = 0.75.
    // all: positives {0.35, 0.8, 0.5} against negatives {0.1, 0.4, 0.5, 0.2}:
    //   0.35 beats 0.1, 0.2 → 2; 0.8 beats all 4 → 4; 0.5 beats 0.1, 0.4, 0.2 and ties 0.5 → 3.5;
    //   9.5 of 12.
    let patients = [
      Self.record("a", 0, .train, risk: "0.1"), Self.record("b", 0, .train, risk: "0.4"),
      Self.record("c", 1, .train, risk: "0.35"), Self.record("d", 1, .train, risk: "0.8"),
      Self.record("e", 1, .test, risk: "0.5"), Self.record("f", 0, .test, risk: "0.5"),
      Self.record("g", 0, .test, risk: "0.2"),
    ]
    let truth = try #require(GroundTruthAUC(patients: patients, extraColumns: ["age", "true_risk"]))
    #expect(truth.bySplit[.train] == 0.75)
    #expect(truth.bySplit[.test] == 0.75)
    #expect(truth.bySplit[.val] == nil)
    #expect(abs((truth.all ?? 0) - 9.5 / 12) < 1e-15)
    #expect(truth.unreadable.isEmpty)
  }

  @Test func absentColumnAndUnreadableCells() throws {
    let patients = [Self.record("a", 0, .val, risk: "0.2"), Self.record("b", 1, .val, risk: "0.9"),
                    Self.record("c", 1, .val, risk: "high"), Self.record("d", 0, .val, risk: "1.5")]
    #expect(GroundTruthAUC(patients: patients, extraColumns: ["age", "risk"]) == nil)
    let truth = try #require(GroundTruthAUC(patients: patients, extraColumns: ["age", "true_risk"]))
    #expect(truth.unreadable == ["c", "d"])
    #expect(truth.all == 1)
  }
}
