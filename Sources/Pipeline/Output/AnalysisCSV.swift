// AnalysisCSV: `fgf analyze --format csv`: one tidy table (a row per model and feature for the
// cohort, and a row per model, patient and feature) that loads straight into pandas or R:
//   scope      "cohort" or "patient"
//   model, source, measure, baseline
//   patient_id, label, split, logit                  (patient rows; logit also for features-less runs)
//   feature, value, alignment, noise, difference     (cohort rows: means over the patients)
//   ratio, ci_lower, ci_upper, p, p_holm, significant, n, undefined, undefined_values, auc  (cohort rows)
//   undefined_reason                                 (patient rows)
// Empty cells are values that do not apply or are undefined.

import Engine
import Imaging

public enum AnalysisCSV {
  public static let columns = [
    "scope", "model", "source", "measure", "baseline", "patient_id", "label", "split", "logit",
    "feature", "value", "alignment", "noise", "difference", "ratio", "ci_lower", "ci_upper", "p", "p_holm",
    "significant", "n", "undefined", "undefined_values", "auc", "undefined_reason",
  ]

  /// The CSV text (header row first, \n line ends).
  public static func render(_ result: AnalysisResult) -> String {
    var rows = [columns]
    let measure = result.alignment.measure.rawValue, baseline = result.alignment.baseline.rawValue
    for model in result.models {
      func row(_ values: [String: String]) -> [String] {
        var all = values
        all["model"] = model.label; all["source"] = model.source
        all["measure"] = measure; all["baseline"] = baseline
        return columns.map { all[$0] ?? "" }
      }
      let auc = text(model.auc)
      if model.summaries.isEmpty { rows.append(row(["scope": "cohort", "auc": auc])) }
      for s in model.summaries {
        rows.append(row([
          "scope": "cohort", "feature": s.feature, "alignment": text(s.meanAlignment), "noise": text(s.meanNoise),
          "difference": text(s.meanDifference), "ratio": text(s.ratio), "ci_lower": text(s.ciLower),
          "ci_upper": text(s.ciUpper), "p": text(s.pValue), "p_holm": text(s.adjustedP),
          "significant": s.significant ? "1" : "0", "n": String(s.pairs), "undefined": String(s.undefinedAlignments),
          "undefined_values": String(s.undefinedValues), "auc": auc,
        ]))
      }
      for (i, sample) in result.inputs.samples.enumerated() {
        var base = ["scope": "patient", "patient_id": sample.id, "label": sample.label.map(String.init) ?? "",
                    "split": sample.split?.rawValue ?? "", "logit": model.logits[i].isFinite ? "\(model.logits[i])" : ""]
        guard i < model.patients.count, !model.patients[i].features.isEmpty else {
          rows.append(row(base))
          continue
        }
        for f in model.patients[i].features {
          base["feature"] = f.feature; base["value"] = text(f.value); base["alignment"] = text(f.alignment)
          base["noise"] = text(f.noiseAlignment); base["difference"] = text(f.difference)
          base["undefined_reason"] = f.undefinedReason ?? ""
          rows.append(row(base))
        }
      }
    }
    return CSV.encode(rows)
  }

  static func text(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    return "\(value)"
  }
}
