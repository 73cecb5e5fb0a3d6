// CohortAnalysis: the analysis `fgf analyze` and the explorer share. Runs every model over the
// patients in batches (logits and ∇ₓf), evaluates the features and their alignments through
// Engine's AlignmentAnalyzer with the chosen measure and baseline, then summarises each feature
// per model (CohortStatistics: means, ratio, bootstrap CI, Wilcoxon, Holm) and scores each model
// (ROC AUC). Deterministic whatever the thread count and batch size; reports progress after each
// batch and stops after the current batch when asked.

import Engine

public enum CohortAnalysis {
  /// Analyses `inputs` with `models`. `progress` hears (patients done, total) after each batch;
  /// when `shouldStop` returns true the analysis ends after the current batch and the result
  /// covers the patients done so far (`cancelled` set).
  public static func run(_ inputs: AnalysisInputs, models: [AnalysisModel], options: AnalysisOptions = AnalysisOptions(),
                         progress: ((_ done: Int, _ total: Int) -> Void)? = nil,
                         shouldStop: (() -> Bool)? = nil) -> AnalysisResult {
    let total = inputs.samples.count
    let oracles = models.map(\.oracle)
    var perPatient: [[PatientAlignment]] = []   // [patient][model]
    var logits: [[Float]] = models.map { _ in [] }
    let featureInputs = options.features.isEmpty ? nil : inputs.featureInputs
    let features = featureInputs == nil ? [] : options.features
    if let featureInputs {
      let analyzer = AlignmentAnalyzer(features: features, settings: options.alignment)
      perPatient = analyzer.analyze(featureInputs, models: oracles, batchSize: options.batchSize, threads: options.threads,
                                    progress: { progress?($0, total) }, shouldStop: shouldStop)
      for m in models.indices { logits[m] = perPatient.map { $0[m].logit ?? .nan } }
    } else {
      logits = modelLogits(inputs, oracles: oracles, options: options, progress: progress, shouldStop: shouldStop)
    }
    let done = logits.first?.count ?? 0
    var analysed = inputs
    analysed.samples = Array(inputs.samples.prefix(done))
    let names = features.map(\.name)
    let labels = analysed.samples.map(\.label)
    let results = models.indices.map { m in
      let patients = perPatient.map { $0[m] }
      return ModelAnalysis(
        label: models[m].label, source: models[m].source, logits: logits[m], patients: patients,
        summaries: names.isEmpty ? [] : CohortStatistics.summarize(patients, features: names, settings: options.statistics),
        auc: auc(logits[m], labels))
    }
    return AnalysisResult(inputs: analysed, features: names, alignment: options.alignment, statistics: options.statistics,
                          models: results, cancelled: done < total)
  }

  /// ROC AUC over the patients whose label is known.
  public static func auc(_ logits: [Float], _ labels: [Int?]) -> Double? {
    var scores: [Float] = [], known: [Int] = []
    for (score, label) in zip(logits, labels) {
      guard let label else { continue }
      scores.append(score)
      known.append(label)
    }
    return rocAUC(scores: scores, labels: known)
  }

  /// Logits only (inputs features cannot use), batch by batch: [model][patient].
  private static func modelLogits(_ inputs: AnalysisInputs, oracles: [any GradientOracle], options: AnalysisOptions,
                                  progress: ((Int, Int) -> Void)?, shouldStop: (() -> Bool)?) -> [[Float]] {
    var logits: [[Float]] = oracles.map { _ in [] }
    let samples = inputs.samples
    var start = 0
    while start < samples.count {
      if shouldStop?() == true { break }
      let batch = samples[start..<min(samples.count, start + options.batchSize)]
      let x = batch.flatMap(\.x)
      for (m, oracle) in oracles.enumerated() {
        logits[m] += oracle.logits(x, count: batch.count, threads: options.threads)
      }
      start += batch.count
      progress?(start, samples.count)
    }
    return logits
  }
}

extension GradientOracle {
  /// Logits of a batch: an Engine model's forward pass alone, else the oracle's full answer.
  func logits(_ x: [Float], count: Int, threads: Int) -> [Float] {
    if let model = self as? Model { return model.logits(x, count: count, threads: threads) }
    return logitsAndInputGradients(x, count: count, threads: threads).logits
  }
}
