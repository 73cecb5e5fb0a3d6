// AnalysisJSON: `fgf analyze --format json`: the whole analysis for programs: what was analysed
// and how, then per model its AUC, the per-feature cohort statistics and every patient's logit,
// feature values and alignments. Undefined values are null, with the reason alongside.

import Common
import Engine

public enum AnalysisJSON {
  /// The analysis as a JSON value.
  public static func value(_ result: AnalysisResult) -> JSONValue {
    let inputs = result.inputs
    let source: JSONValue = .object([
      ("kind", .string(inputs.origin.rawValue)), ("name", .string(inputs.source)),
      ("split", .string(inputs.selection.rawValue)), ("patients", .number(inputs.samples.count)),
      ("positives", .number(inputs.samples.filter { $0.label == 1 }.count)),
      ("excluded", .array(inputs.excluded.map { .object([("id", .string($0.id)), ("reason", .string($0.reason))]) })),
      ("interrupted", .bool(result.cancelled)),
      ("feature_problem", inputs.featureProblem.map(JSONValue.string) ?? .null),
    ])
    let settings: JSONValue = .object([
      ("measure", .string(result.alignment.measure.rawValue)), ("baseline", .string(result.alignment.baseline.rawValue)),
      ("flow_steps", .number(result.alignment.flowSteps)), ("flow_step_size", .number(result.alignment.flowStepSize)),
      ("noise_draws", .number(result.alignment.noiseDraws)), ("noise_seed", .number(String(result.alignment.noiseSeed))),
      ("bootstrap_resamples", .number(result.statistics.resamples)), ("ci_level", .number(result.statistics.level)),
      ("bootstrap_seed", .number(String(result.statistics.seed))), ("alpha", .number(result.statistics.significanceLevel)),
    ])
    return .object([
      ("fgf", .string("analyze")), ("source", source), ("settings", settings),
      ("features", .array(result.features.map(JSONValue.string))),
      ("models", .array(result.models.map { model($0, result) })),
    ])
  }

  /// Pretty-printed JSON text (ends with a newline).
  public static func render(_ result: AnalysisResult) -> String { JSONText.pretty(value(result)) }

  static func model(_ model: ModelAnalysis, _ result: AnalysisResult) -> JSONValue {
    let samples = result.inputs.samples
    let patients: [JSONValue] = samples.indices.map { i in
      var members: [(key: String, value: JSONValue)] = [
        ("id", .string(samples[i].id)), ("label", samples[i].label.map { .number($0) } ?? .null),
        ("split", samples[i].split.map { .string($0.rawValue) } ?? .null), ("logit", number(model.logits[i])),
      ]
      if i < model.patients.count {
        members.append(("noise", number(model.patients[i].noiseAlignment)))
        members.append(("features", .array(model.patients[i].features.map(featureValue))))
      }
      return .object(members)
    }
    return .object([
      ("label", .string(model.label)), ("source", .string(model.source)), ("auc", number(model.auc)),
      ("summary", .array(model.summaries.map(summary))), ("patients", .array(patients)),
    ])
  }

  static func summary(_ s: FeatureSummary) -> JSONValue {
    .object([
      ("feature", .string(s.feature)), ("n", .number(s.pairs)), ("undefined", .number(s.undefinedAlignments)),
      ("undefined_values", .number(s.undefinedValues)), ("mean_alignment", number(s.meanAlignment)),
      ("mean_noise", number(s.meanNoise)), ("ratio", number(s.ratio)), ("mean_difference", number(s.meanDifference)),
      ("ci", s.ciLower == nil ? .null : .array([number(s.ciLower), number(s.ciUpper)])),
      ("p", number(s.pValue)), ("p_holm", number(s.adjustedP)), ("significant", .bool(s.significant)),
    ])
  }

  static func featureValue(_ f: FeatureAlignment) -> JSONValue {
    .object([
      ("feature", .string(f.feature)), ("value", number(f.value)), ("alignment", number(f.alignment)),
      ("noise", number(f.noiseAlignment)), ("points", .number(f.pointsUsed)),
      ("undefined", f.undefinedReason.map(JSONValue.string) ?? .null),
    ])
  }

  static func number(_ value: Double?) -> JSONValue { value.map { JSONValue.number($0) } ?? .null }
  /// A float in its shortest exact text (a logit printed through Double would show float noise).
  static func number(_ value: Float) -> JSONValue { value.isFinite ? .number("\(value)") : .null }
}
