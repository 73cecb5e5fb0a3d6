// Tests of the synthetic cohort as a cohort: determinism, independence of patients from the cohort
// size, the demo's DM prevalence and Bayes AUC, the stratified split, the DM rule and its negative
// controls, records and fingerprints.
import Testing
import Imaging
import Common
import Glibc

/// Area under the ROC curve by the Mann–Whitney statistic, ties counted one half (an oracle written
/// here, independent of the generator and of Engine).
func mannWhitneyAUC(scores: [Double], labels: [Int]) -> Double {
  var wins = 0.0, pairs = 0.0
  for i in scores.indices where labels[i] == 1 {
    for j in scores.indices where labels[j] == 0 {
      wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
      pairs += 1
    }
  }
  return wins / pairs
}

/// Expected AUC of the true probabilities when labels are drawn from them:
/// Σ_{i≠j} p_i (1 − p_j) [p_i > p_j] / Σ_{i≠j} p_i (1 − p_j) (ratio of expectations).
func expectedAUC(_ p: [Double]) -> Double {
  var numerator = 0.0, denominator = 0.0
  for i in p.indices {
    for j in p.indices where j != i {
      let weight = p[i] * (1 - p[j])
      denominator += weight
      numerator += weight * (p[i] > p[j] ? 1 : (p[i] == p[j] ? 0.5 : 0))
    }
  }
  return numerator / denominator
}

func pearson(_ a: [Double], _ b: [Double]) -> Double {
  let n = Double(a.count)
  let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
  var sab = 0.0, saa = 0.0, sbb = 0.0
  for i in a.indices {
    sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb)
  }
  return sab / (saa * sbb).squareRoot()
}

@Suite struct SyntheticCohortTests {
  static let demo = SyntheticCohort.demo()

  @Test func demoHasTheStatedPrevalenceAndBayesAUC() {
    let cohort = Self.demo
    #expect(cohort.patients.count == 300 && cohort.name == "demo")
    let labels = cohort.patients.map(\.label)
    let risks = cohort.groundTruth.map(\.risk)
    let prevalence = Double(labels.reduce(0, +)) / 300
    let expectedPrevalence = risks.reduce(0, +) / 300
    let auc = mannWhitneyAUC(scores: risks, labels: labels)
    let expected = expectedAUC(risks)
    print("demo: DM prevalence \(prevalence) (expected \(expectedPrevalence)), Bayes AUC \(auc) (expected \(expected))")
    #expect((0.20...0.30).contains(prevalence) && (0.20...0.30).contains(expectedPrevalence))
    #expect((0.80...0.90).contains(auc) && (0.80...0.90).contains(expected))
  }

  @Test func splitIsSixtyTwentyTwentyStratifiedByLabel() {
    let patients = Self.demo.patients
    for label in [0, 1] {
      let members = patients.filter { $0.label == label }
      let n = Double(members.count)
      let counts = Split.allCases.map { split in members.filter { $0.split == split }.count }
      #expect(counts[0] == Int((0.6 * n).rounded()) && counts[1] == Int((0.2 * n).rounded()))
      #expect(counts.reduce(0, +) == members.count)
    }
    // The split is seeded: the same cohort splits the same way.
    #expect(SyntheticCohort(patients: 300, seed: SyntheticCohort.demoSeed).patients.map(\.split) == patients.map(\.split))
  }

  @Test func sameSeedSameCohortAndPatientsIndependentOfSize() throws {
    let small = SyntheticCohort(patients: 5, seed: 77), large = SyntheticCohort(patients: 40, seed: 77)
    let again = SyntheticCohort(patients: 5, seed: 77)
    #expect(small.patients == again.patients)
    for i in 0..<5 {
      #expect(small.patients[i].id == large.patients[i].id)
      #expect(small.patients[i].label == large.patients[i].label)
      #expect(small.patients[i].extra == large.patients[i].extra)
      #expect(small.fingerprint(for: small.patients[i]) == large.fingerprint(for: large.patients[i]))
    }
    let a = try small.volumes(for: small.patients[3]), b = try large.volumes(for: large.patients[3])
    let c = try again.volumes(for: again.patients[3])
    #expect(a.image == b.image && a.mask == b.mask && a.image == c.image)
    // Another seed, other patients.
    let other = SyntheticCohort(patients: 5, seed: 78)
    #expect(other.patients.map(\.extra) != small.patients.map(\.extra))
    #expect(other.fingerprint(for: other.patients[0]) != small.fingerprint(for: small.patients[0]))
    #expect(small.fingerprint(for: small.patients[0]) != small.fingerprint(for: small.patients[1]))
  }

  @Test func recordsCarryTheGroundTruthColumns() throws {
    let cohort = Self.demo
    #expect(cohort.extraColumns == SyntheticCohort.extraColumns)
    #expect(SyntheticCohort.extraColumns.count == 13)
    let first = cohort.patients[0]
    #expect(first.id == "SYN-0001" && cohort.patients[299].id == "SYN-0300")
    #expect(first.image.isEmpty && first.mask.isEmpty && first.line == 0)
    for (record, truth) in zip(cohort.patients, cohort.groundTruth) {
      #expect(record.extra.count == 13)
      let column = { (name: String) -> String in record.extra[SyntheticCohort.extraColumns.firstIndex(of: name) ?? 0] }
      #expect(Double(column("true_volume_mm3")).map { abs($0 - truth.trueVolume) <= 0.05 } == true)
      #expect(Double(column("true_risk")).map { abs($0 - truth.risk) <= 0.00005 } == true)
      #expect(["T1", "T2", "T3", "T4"].contains(column("t_stage")) && ["N0", "N1", "N2", "N3"].contains(column("n_stage")))
      #expect(["M", "F"].contains(column("sex")) && ["positive", "negative"].contains(column("hpv")))
      #expect(Int(column("age")).map { (35...88).contains($0) } == true)
      #expect(truth.label == record.label && (truth.label == 0 || truth.label == 1))
    }
    #expect(throws: FileError.self) {
      try cohort.volumes(for: PatientRecord(id: "SYN-9999", label: 0, split: .train, image: "", mask: "", extra: [], line: 0))
    }
  }

  @Test func riskFollowsTheDocumentedRuleOnly() {
    // The rule itself, at hand-computed points: at the reference values the logit is the intercept.
    let reference = MetastasisRule.probability(volume: MetastasisRule.referenceVolume, irregularity: 0.14, heterogeneity: 0.5)
    #expect(abs(reference - 1 / (1 + exp17())) < 1e-12)
    let cohort = SyntheticCohort(patients: 2000, seed: 5)
    var maxDifference = 0.0
    for truth in cohort.groundTruth {
      let p = MetastasisRule.probability(volume: truth.trueVolume, irregularity: truth.trueIrregularity,
                                         heterogeneity: truth.trueHeterogeneity)
      maxDifference = max(maxDifference, abs(p - truth.risk))
    }
    #expect(maxDifference == 0)
    // Negative controls: mean tumour HU and the tumour's position are unrelated to the risk
    // (|r| < 0.08 with n = 2000, about 3.5 standard errors), while the planted properties are.
    let risk = cohort.groundTruth.map(\.risk)
    let controls: [(String, [Double])] = [
      ("mean HU", cohort.groundTruth.map(\.tumourMeanHU)),
      ("centre x", cohort.groundTruth.map { $0.tumourCentre.x }),
      ("centre y", cohort.groundTruth.map { $0.tumourCentre.y }),
      ("centre z", cohort.groundTruth.map { $0.tumourCentre.z }),
    ]
    for (name, values) in controls {
      let r = pearson(values, risk)
      print("correlation of risk with \(name): \(r)")
      #expect(abs(r) < 0.08, "\(name)")
    }
    #expect(pearson(cohort.groundTruth.map { $0.trueVolume.squareRoot() }, risk) > 0.3)
    #expect(pearson(cohort.groundTruth.map(\.trueIrregularity), risk) > 0.3)
    #expect(pearson(cohort.groundTruth.map(\.trueHeterogeneity), risk) > 0.3)
    // Equivalent-sphere diameters stay within the drawn 10–48 mm (clipping can only shrink them).
    let diameters = cohort.groundTruth.map { cbrt($0.trueVolume * 6 / Double.pi) }
    print("equivalent diameters: \(diameters.min() ?? 0) … \(diameters.max() ?? 0) mm")
    #expect((diameters.min() ?? 0) > 8 && (diameters.max() ?? 99) <= 48.01)
  }
}

/// e^1.7: the odds against DM at the reference values (logit −1.7).
private func exp17() -> Double { 5.4739473917272 }
