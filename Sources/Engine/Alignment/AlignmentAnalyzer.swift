// AlignmentAnalyzer: per-patient feature alignments of one or more models (DESIGN §2): pointwise
// from gradients already computed (the explorer's current patient), or over many patients with the
// models as gradient oracles, walking the gradient flow when the measure is `flow`.
//
// Along the flow, every feature (value, gradient, and the occupancy constants t and p) is
// recomputed at each point, and so is the matched baseline: r_j = ρ_j ⊙ |∇g_k(γ)| at each point γ,
// with the same signs ρ_j throughout, so the noise keeps the support of the feature gradient it is
// compared with point by point. White and smooth draws are fixed vectors, as a linear noise
// feature's gradient is. A point counts for a feature when its alignment is defined; the patient's
// alignment and noise alignment are the means over the points that count.

/// Computes feature and noise alignments for patients and models.
public struct AlignmentAnalyzer: Sendable {
  public let features: [FeatureDefinition]
  public let settings: AlignmentSettings
  /// The noise draws (the process-wide standard bank for the default seed and J).
  public let noise: NoiseBank

  public init(features: [FeatureDefinition] = FeatureCatalog.all, settings: AlignmentSettings = AlignmentSettings()) {
    self.features = features
    self.settings = settings
    noise = NoiseBank.bank(seed: settings.noiseSeed, draws: settings.noiseDraws)
  }

  /// Pointwise alignments (|cos| or cos²) of one patient for models whose input gradients at x are
  /// given (one [Float] of 3·64·64 per model); the features are evaluated once and shared.
  /// The flow needs the models themselves: use `analyze(_:models:)`.
  public func analyze(_ input: FeatureInput, gradients: [[Float]], logits: [Float]? = nil) -> [PatientAlignment] {
    precondition(settings.measure != .flow, "flow alignment walks the model: use analyze(_:models:)")
    precondition(gradients.allSatisfy { $0.count == FeatureInput.count }, "a gradient is 3×64×64")
    let atX = FeaturesAtPoint(FeatureCatalog.evaluate(features, on: input))
    return gradients.indices.map { m in
      var path = PathSums(features.count)
      path.add(alignments(of: atX, with: gradients[m]))
      return path.result(features: features, atX: atX, logit: logits?[m], gradientNorm: VectorMath.norm(gradients[m]))
    }
  }

  /// Alignments of every patient for every model, [patient][model], with the configured measure.
  /// Patients go through in batches of `batchSize` (each model sees batches of up to 2·batchSize
  /// inputs along the flow); models and per-patient work use up to `threads` threads; results
  /// depend on neither.
  /// `progress` gets the number of patients done after each batch; when `shouldStop` returns true
  /// the analysis ends after the current batch and returns the patients done so far (a prefix).
  public func analyze(_ inputs: [FeatureInput], models: [any GradientOracle], batchSize: Int = 16,
                      threads: Int = Parallelism.defaultThreads,
                      progress: ((Int) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) -> [[PatientAlignment]] {
    precondition(batchSize > 0)
    var results: [[PatientAlignment]] = []
    results.reserveCapacity(inputs.count)
    var start = 0
    while start < inputs.count {
      if shouldStop?() == true { break }
      let batch = Array(inputs[start..<min(inputs.count, start + batchSize)])
      results += analyzeBatch(batch, models: models, threads: threads)
      start += batch.count
      progress?(start)
    }
    return results
  }

  /// One batch: the models at x, features at x (shared by the models), then the flow's steps.
  private func analyzeBatch(_ inputs: [FeatureInput], models: [any GradientOracle], threads: Int) -> [[PatientAlignment]] {
    let d = FeatureInput.count
    let atX = ParallelMap.map(inputs.count, threads: threads) { p in FeaturesAtPoint(FeatureCatalog.evaluate(features, on: inputs[p])) }
    var sums = [[PathSums]](repeating: [PathSums](repeating: PathSums(features.count), count: models.count),
                            count: inputs.count)
    var logits = [[Float]](repeating: [], count: models.count)
    var norms = [[Double]](repeating: [], count: models.count)
    for (m, model) in models.enumerated() {
      let start = model.logitsAndInputGradients(inputs.flatMap(\.x), count: inputs.count, threads: threads)
      checkShapes(start, count: inputs.count)
      logits[m] = start.logits
      let gradients = (0..<inputs.count).map { p in Array(start.gradients[(p * d)..<((p + 1) * d)]) }
      norms[m] = gradients.map(VectorMath.norm)
      let atStart = ParallelMap.map(inputs.count, threads: threads) { p in alignments(of: atX[p], with: gradients[p]) }
      for p in inputs.indices { sums[p][m].add(atStart[p]) }
      if settings.measure == .flow && settings.flowSteps > 0 {
        walkFlow(inputs, model: model, startGradients: gradients, threads: threads) { p, point in sums[p][m].add(point) }
      }
    }
    return inputs.indices.map { p in
      models.indices.map { m in
        sums[p][m].result(features: features, atX: atX[p], logit: logits[m][p], gradientNorm: norms[m][p])
      }
    }
  }

  /// T steps of normalised ascent and T of descent from each input, all walkers of a step in one
  /// batch; `add(patient, alignments)` receives every point after x, in a fixed order. A walker stops
  /// where ∇f vanishes (a stationary point: the flow stays there).
  private func walkFlow(_ inputs: [FeatureInput], model: any GradientOracle, startGradients: [[Float]],
                        threads: Int, add: (Int, PointAlignments) -> Void) {
    struct Walker { var patient: Int; var direction: Double; var point: [Float]; var gradient: [Float] }
    var walkers = inputs.indices.flatMap { p in
      [1.0, -1.0].map { Walker(patient: p, direction: $0, point: inputs[p].x, gradient: startGradients[p]) }
    }
    let d = FeatureInput.count
    for _ in 0..<settings.flowSteps {
      walkers.removeAll { VectorMath.norm($0.gradient) < VectorMath.zeroNorm }
      guard !walkers.isEmpty else { return }
      for w in walkers.indices {
        let scale = walkers[w].direction * settings.flowStepSize / VectorMath.norm(walkers[w].gradient)
        for i in 0..<d {
          walkers[w].point[i] = Float(Double(walkers[w].point[i]) + scale * Double(walkers[w].gradient[i]))
        }
      }
      let step = model.logitsAndInputGradients(walkers.flatMap(\.point), count: walkers.count, threads: threads)
      checkShapes(step, count: walkers.count)
      for w in walkers.indices { walkers[w].gradient = Array(step.gradients[(w * d)..<((w + 1) * d)]) }
      let snapshot = walkers
      let points = ParallelMap.map(snapshot.count, threads: threads) { w in
        let walker = snapshot[w], input = inputs[walker.patient]
        let here = FeatureInput(x: walker.point, mask: input.mask, sliceThickness: input.sliceThickness)
        return alignments(of: FeaturesAtPoint(FeatureCatalog.evaluate(features, on: here)), with: walker.gradient)
      }
      for (walker, point) in zip(snapshot, points) { add(walker.patient, point) }
    }
  }
}

/// A model that answers a batch of n with other than n logits and n gradients is a programming error.
private func checkShapes(_ output: (logits: [Float], gradients: [Float]), count: Int) {
  precondition(output.logits.count == count && output.gradients.count == count * FeatureInput.count,
               "a gradient oracle returned \(output.logits.count) logits and \(output.gradients.count) gradient values for \(count) inputs")
}

/// Running sums of one patient's alignments for one model over the points of its path.
struct PathSums: Sendable {
  var alignment: [Double]
  var noise: [Double]
  var points: [Int]
  var reasons: [String?]
  var baseline = 0.0
  var baselinePoints = 0

  init(_ featureCount: Int) {
    alignment = [Double](repeating: 0, count: featureCount)
    noise = alignment
    points = [Int](repeating: 0, count: featureCount)
    reasons = [String?](repeating: nil, count: featureCount)
  }

  mutating func add(_ point: PointAlignments) {
    if let value = point.baseline {
      baseline += value
      baselinePoints += 1
    }
    for (k, value) in point.features.enumerated() {
      switch value {
      case .defined(let a, let n):
        alignment[k] += a
        noise[k] += n
        points[k] += 1
      case .undefined(let reason):
        if reasons[k] == nil { reasons[k] = reason }
      }
    }
  }

  func result(features: [FeatureDefinition], atX: FeaturesAtPoint, logit: Float?, gradientNorm: Double) -> PatientAlignment {
    let perFeature = features.indices.map { k in
      let used = points[k]
      let value = atX.values[k]
      return FeatureAlignment(
        feature: features[k].name, value: value.value,
        alignment: used > 0 ? alignment[k] / Double(used) : nil,
        noiseAlignment: used > 0 ? noise[k] / Double(used) : nil,
        pointsUsed: used,
        undefinedReason: value.undefinedReason ?? (used > 0 ? nil : reasons[k]))
    }
    return PatientAlignment(logit: logit, gradientNorm: gradientNorm, features: perFeature,
                            noiseAlignment: baselinePoints > 0 ? baseline / Double(baselinePoints) : nil)
  }
}
