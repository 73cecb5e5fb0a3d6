// AnalysisResult: what a cohort analysis found, per model: every patient's logit and feature
// alignments, the per-feature cohort statistics (DESIGN §2 importance test) and the ROC AUC. The
// output formats (table, JSON, CSV) and the dump are written from it.

import Engine
import Imaging

/// A model under analysis: a short label ("A"), where it came from, and the model itself (any
/// gradient oracle: an Engine `Model`, or a function in tests).
public struct AnalysisModel: Sendable {
  public var label: String
  /// The model file, or a description.
  public var source: String
  public var oracle: any GradientOracle
  /// The model file's metadata (fgf.training, fgf.metrics, …), if any.
  public var metadata: [String: String]

  public init(label: String, source: String, oracle: any GradientOracle, metadata: [String: String] = [:]) {
    self.label = label; self.source = source; self.oracle = oracle; self.metadata = metadata
  }

  /// A model file's model, labelled.
  public init(label: String, path: String, model: Model) {
    self.init(label: label, source: path, oracle: model, metadata: model.metadata)
  }
}

/// How to analyse: the features, the measure and baseline, the statistics, and the work split.
public struct AnalysisOptions: Sendable {
  public var features: [FeatureDefinition]
  public var alignment: AlignmentSettings
  public var statistics: SummarySettings
  /// Worker threads (results do not depend on them).
  public var threads: Int
  /// Patients per batch (results do not depend on it).
  public var batchSize: Int

  public init(features: [FeatureDefinition] = FeatureCatalog.all, alignment: AlignmentSettings = AlignmentSettings(),
              statistics: SummarySettings = SummarySettings(), threads: Int = Parallelism.defaultThreads,
              batchSize: Int = 16) {
    self.features = features; self.alignment = alignment; self.statistics = statistics
    self.threads = threads; self.batchSize = batchSize
  }
}

/// One model's results over the analysed patients.
public struct ModelAnalysis: Sendable {
  public var label: String
  public var source: String
  /// f(x) per patient, in sample order.
  public var logits: [Float]
  /// Per patient, every feature's value and alignment (empty when features were not computed).
  public var patients: [PatientAlignment]
  /// Per feature over the patients, in the order of the analysis's features.
  public var summaries: [FeatureSummary]
  /// ROC AUC of the logits against the labels; nil without labels or with one class.
  public var auc: Double?

  public init(label: String, source: String, logits: [Float], patients: [PatientAlignment],
              summaries: [FeatureSummary], auc: Double?) {
    self.label = label; self.source = source; self.logits = logits
    self.patients = patients; self.summaries = summaries; self.auc = auc
  }

  /// Mean over `features` of their mean alignments (those that have one); nil if none does.
  public func meanAlignment(over features: [String]) -> Double? {
    let values = summaries.filter { features.contains($0.feature) }.compactMap(\.meanAlignment)
    return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
  }
}

/// The whole analysis.
public struct AnalysisResult: Sendable {
  /// The patients analysed (a prefix of the requested ones when `cancelled`).
  public var inputs: AnalysisInputs
  /// Names of the features, in order (empty when `inputs.featureProblem` is set).
  public var features: [String]
  public var alignment: AlignmentSettings
  public var statistics: SummarySettings
  public var models: [ModelAnalysis]
  /// True when stopped early; figures then cover `inputs.samples` only.
  public var cancelled: Bool

  public init(inputs: AnalysisInputs, features: [String], alignment: AlignmentSettings, statistics: SummarySettings,
              models: [ModelAnalysis], cancelled: Bool) {
    self.inputs = inputs; self.features = features; self.alignment = alignment; self.statistics = statistics
    self.models = models; self.cancelled = cancelled
  }

  /// Labels of the analysed patients (nil entries where unknown).
  public var labels: [Int?] { inputs.samples.map(\.label) }
}
