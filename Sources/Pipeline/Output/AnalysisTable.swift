// AnalysisTable: the readable report of `fgf analyze` (the default format): what was analysed,
// then per model its AUC and a row per feature with the mean alignment, the noise level, their
// ratio, the mean paired difference with its bootstrap CI, the Wilcoxon p and its Holm
// adjustment, the significance verdict and the undefined count; notes on undefined values last.

import Engine

public enum AnalysisTable {
  /// The report as text (ends with a newline).
  public static func render(_ result: AnalysisResult) -> String {
    var lines = header(result)
    for model in result.models {
      lines.append("")
      lines += modelSection(model, result)
    }
    if !result.features.isEmpty {
      lines.append("")
      lines.append("a: mean alignment; noise: mean alignment with the \(result.alignment.baseline.rawValue) baseline; "
        + "d = a − noise per patient, mean with \(percent(result.statistics.level)) bootstrap CI (B = \(result.statistics.resamples));")
      lines.append("p: one-sided Wilcoxon signed-rank for d > 0; Holm: adjusted over the features shown; "
        + "significant (*): Holm p < \(result.statistics.significanceLevel) and CI above 0; undef: patients without a defined alignment.")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func header(_ result: AnalysisResult) -> [String] {
    let inputs = result.inputs
    let n = inputs.samples.count
    let positives = inputs.samples.filter { $0.label == 1 }.count
    let labelled = inputs.samples.filter { $0.label != nil }.count
    var what = inputs.origin == .cohort ? "cohort \(inputs.source)" : "tensors \(inputs.source)"
    if inputs.origin == .cohort || inputs.selection != .all { what += ", split \(inputs.selection.rawValue)" }
    var count = "\(n) patient\(n == 1 ? "" : "s")"
    if labelled > 0 { count += " (\(positives) with DM)" }
    var lines = ["fgf analyze: \(what): \(count)"]
    if !inputs.excluded.isEmpty {
      lines.append("left out \(inputs.excluded.count) patient\(inputs.excluded.count == 1 ? "" : "s"): "
        + inputs.excluded.prefix(3).map { "\($0.id) (\($0.reason))" }.joined(separator: "; ")
        + (inputs.excluded.count > 3 ? "; …" : ""))
    }
    if result.cancelled { lines.append("interrupted: the figures cover the first \(n) patients only") }
    if let problem = inputs.featureProblem {
      lines.append("no features: \(problem)")
    } else {
      lines.append("measure \(measureName(result.alignment)), baseline \(result.alignment.baseline.rawValue) "
        + "(J = \(result.alignment.noiseDraws))")
    }
    return lines
  }

  static func modelSection(_ model: ModelAnalysis, _ result: AnalysisResult) -> [String] {
    let auc = model.auc.map { "AUC \(NumberText.fixed($0, 3))" } ?? "AUC — (needs labels of both classes)"
    var lines = ["Model \(model.label) (\(model.source)): \(auc)"]
    guard !model.summaries.isEmpty else { return lines }
    var table = TextTable([("feature", .left), ("a", .right), ("noise", .right), ("ratio", .right),
                           ("mean d", .right), ("\(percent(result.statistics.level)) CI", .left), ("p", .right),
                           ("Holm p", .right), ("sig", .left), ("undef", .right)])
    for s in model.summaries {
      let interval = s.ciLower.map { "[\(NumberText.fixed($0)), \(NumberText.fixed(s.ciUpper))]" } ?? NumberText.missing
      table.add([s.feature, NumberText.fixed(s.meanAlignment), NumberText.fixed(s.meanNoise), NumberText.ratio(s.ratio),
                 NumberText.fixed(s.meanDifference), interval, NumberText.pValue(s.pValue), NumberText.pValue(s.adjustedP),
                 s.significant ? "*" : "", String(s.undefinedAlignments)])
    }
    lines += table.lines()
    lines += undefinedNotes(model)
    return lines
  }

  /// One line per feature with undefined alignments: how many, and the most frequent reason.
  static func undefinedNotes(_ model: ModelAnalysis) -> [String] {
    var notes: [String] = []
    for (k, summary) in model.summaries.enumerated() where summary.undefinedAlignments > 0 {
      var counts: [String: Int] = [:]
      for patient in model.patients where patient.features[k].alignment == nil {
        counts[patient.features[k].undefinedReason ?? "undefined", default: 0] += 1
      }
      let reasons = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        .map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
      notes.append("  \(summary.feature): \(summary.undefinedAlignments) undefined: \(reasons)")
    }
    return notes
  }

  static func measureName(_ settings: AlignmentSettings) -> String {
    switch settings.measure {
    case .abs: return "|cos| (abs)"
    case .sq: return "cos² (sq)"
    case .flow: return "flow: |cos| along the gradient flow, T = \(settings.flowSteps), η = \(settings.flowStepSize)"
    }
  }

  static func percent(_ level: Double) -> String {
    let value = level * 100
    return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
  }
}
