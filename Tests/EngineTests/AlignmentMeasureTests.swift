// Alignment measures on models and features with known answers: a linear model is exactly aligned
// with a feature of the same gradient, the flow of a linear model is a straight line, the flow of a
// curved model follows its steps, and undefined cases are reported and counted.
import Testing
import Engine

@Suite struct AlignmentMeasureTests {
  let w = FeatureTestInputs.gaussianVector(seed: 1)
  let v = FeatureTestInputs.gaussianVector(seed: 2)

  /// Gradients w and −2w (exact in float, so the only rounding is the Double sums).
  @Test(arguments: [AlignmentMeasure.abs, .sq, .flow])
  func linearModelIsExactlyAlignedWithAFeatureOfTheSameGradient(_ measure: AlignmentMeasure) {
    let features = [AlignmentTestSupport.linearFeature(w, name: "test.same"),
                    AlignmentTestSupport.linearFeature(w.map { -2 * $0 }, name: "test.opposite")]
    let analyzer = AlignmentAnalyzer(features: features, settings: AlignmentSettings(measure: measure))
    let input = FeatureTestInputs.random(seed: 3)
    let result = analyzer.analyze([input], models: [AlignmentTestSupport.linearModel(w)])[0][0]
    var worst = 0.0
    for feature in result.features {
      worst = max(worst, abs((feature.alignment ?? 0) - 1))
      #expect(feature.pointsUsed == (measure == .flow ? 17 : 1))
    }
    print("linear model, \(measure): max |alignment − 1| = \(worst) (tolerance 1e-12)")
    #expect(worst < 1e-12)
  }

  @Test func flowOfALinearModelEqualsThePointwiseAlignment() {
    // Along a straight path the gradients of f and of a linear feature do not change.
    let features = [AlignmentTestSupport.linearFeature(v)]
    let input = FeatureTestInputs.random(seed: 4)
    let model = AlignmentTestSupport.linearModel(w)
    let pointwise = AlignmentAnalyzer(features: features, settings: AlignmentSettings(measure: .abs))
      .analyze([input], models: [model])[0][0].features[0]
    let flow = AlignmentAnalyzer(features: features, settings: AlignmentSettings(measure: .flow))
      .analyze([input], models: [model])[0][0].features[0]
    let expected = AlignmentTestSupport.absCosine(w, v)
    let pointwiseAlignment = pointwise.alignment ?? .nan, flowAlignment = flow.alignment ?? .nan
    let pointwiseNoise = pointwise.noiseAlignment ?? .nan, flowNoise = flow.noiseAlignment ?? .nan
    print("linear flow vs pointwise: |Δ alignment| = \(abs(flowAlignment - pointwiseAlignment)), "
      + "|Δ noise| = \(abs(flowNoise - pointwiseNoise)), pointwise vs Double oracle \(abs(pointwiseAlignment - expected))")
    #expect(abs(flowAlignment - pointwiseAlignment) < 1e-12)
    #expect(abs(flowNoise - pointwiseNoise) < 1e-12)
    #expect(abs(pointwiseAlignment - expected) < 1e-12)
  }

  /// The flow of a curved model, walked here step by step (x ← x ± η ∇f/‖∇f‖, T = 3, η = 0.2), with
  /// the pointwise measure evaluated at each point, must give the analyzer's flow figures.
  @Test func flowAveragesThePointwiseAlignmentOverItsSteps() {
    let a = FeatureTestInputs.gaussianVector(seed: 5)
    let b = FeatureTestInputs.gaussianVector(seed: 6).map { 2 * $0 }
    let model = AlignmentTestSupport.quadraticModel(a, b)
    let input = FeatureTestInputs.random(seed: 7)
    let settings = AlignmentSettings(measure: .flow, baseline: .matched, flowSteps: 3, flowStepSize: 0.2)
    let flow = AlignmentAnalyzer(settings: settings).analyze([input], models: [model])[0][0]

    let pointwise = AlignmentAnalyzer(settings: AlignmentSettings(measure: .abs, baseline: .matched))
    var points = [input.x]
    for direction in [1.0, -1.0] {
      var x = input.x
      for _ in 0..<3 {
        let gradient = model.logitsAndInputGradients(x, count: 1).gradients
        let norm = gradient.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        x = zip(x, gradient).map { Float(Double($0) + direction * 0.2 / norm * Double($1)) }
        points.append(x)
      }
    }
    #expect(points[1] != points[0] && points[4] != points[1])
    let atPoints = points.map { x in
      pointwise.analyze([FeatureInput(x: x, mask: input.mask, sliceThickness: input.sliceThickness)], models: [model])[0][0]
    }
    var worst = 0.0
    for (k, feature) in flow.features.enumerated() {
      let defined = atPoints.compactMap { point -> (Double, Double)? in
        guard let a = point.features[k].alignment, let n = point.features[k].noiseAlignment else { return nil }
        return (a, n)
      }
      #expect(feature.pointsUsed == defined.count, "\(feature.feature)")
      guard !defined.isEmpty, let alignment = feature.alignment, let noise = feature.noiseAlignment else { continue }
      let meanAlignment = defined.map(\.0).reduce(0, +) / Double(defined.count)
      let meanNoise = defined.map(\.1).reduce(0, +) / Double(defined.count)
      worst = max(worst, abs(alignment - meanAlignment), abs(noise - meanNoise))
    }
    print("flow vs hand-walked path: max difference \(worst) (tolerance 1e-12)")
    #expect(worst < 1e-12)
    #expect(flow.features.contains { $0.pointsUsed == 7 })
  }

  @Test func patientNoiseFigureIsTheBaselinesWhateverTheFeature() {
    let input = FeatureTestInputs.random(seed: 10)
    for baseline in [NoiseBaseline.white, .smooth] {
      let result = AlignmentAnalyzer(settings: AlignmentSettings(baseline: baseline)).analyze(input, gradients: [w])[0]
      let noise = result.noiseAlignment
      #expect(noise != nil)
      #expect(result.features.allSatisfy { $0.noiseAlignment == nil || $0.noiseAlignment == noise })
    }
    let matched = AlignmentAnalyzer(settings: AlignmentSettings(baseline: .matched)).analyze(input, gradients: [w])[0]
    #expect(matched.noiseAlignment == nil)
    let zero = AlignmentAnalyzer().analyze(input, gradients: [[Float](repeating: 0, count: FeatureInput.count)])[0]
    #expect(zero.noiseAlignment == nil)
  }

  @Test func squaredMeasureIsTheSquareOfTheAbsoluteOne() {
    let input = FeatureTestInputs.random(seed: 8)
    let abs = AlignmentAnalyzer(settings: AlignmentSettings(measure: .abs)).analyze(input, gradients: [w])[0]
    let sq = AlignmentAnalyzer(settings: AlignmentSettings(measure: .sq)).analyze(input, gradients: [w])[0]
    for (a, s) in zip(abs.features, sq.features) {
      guard let a = a.alignment, let s = s.alignment else { continue }
      #expect(Swift.abs(a * a - s) < 1e-15)
    }
  }

  @Test func zeroModelGradientLeavesEveryAlignmentUndefined() {
    let zero = [Float](repeating: 0, count: FeatureInput.count)
    for measure in AlignmentMeasure.allCases {
      let result = AlignmentAnalyzer(settings: AlignmentSettings(measure: measure))
        .analyze([FeatureTestInputs.random(seed: 9)], models: [AlignmentTestSupport.linearModel(zero)])[0][0]
      for feature in result.features {
        #expect(feature.alignment == nil && feature.noiseAlignment == nil && feature.pointsUsed == 0)
        #expect(feature.undefinedReason == "model gradient is zero")
        #expect(feature.value != nil)
      }
    }
  }

  @Test func undefinedFeaturesAndZeroFeatureGradientsAreReported() {
    // A uniform square: the spread features are undefined and contrast is 0 with a zero gradient.
    let result = AlignmentAnalyzer().analyze(FeatureTestInputs.brightSquare(), gradients: [w])[0]
    let byName = Dictionary(uniqueKeysWithValues: result.features.map { ($0.feature, $0) })
    #expect(byName["intensity.std"]?.alignment == nil)
    #expect(byName["intensity.std"]?.undefinedReason?.hasPrefix("zero variance") == true)
    #expect(byName["texture.contrast"]?.value == 0)
    #expect(byName["texture.contrast"]?.alignment == nil)
    #expect(byName["texture.contrast"]?.undefinedReason == "feature gradient is zero")
    #expect(byName["intensity.mean"]?.alignment != nil && byName["intensity.mean"]?.undefinedReason == nil)
  }

  @Test func batchingThreadsAndGivenGradientsDoNotChangeResults() {
    let inputs = (0..<5).map { FeatureTestInputs.random(seed: 30 + UInt64($0)) }
    let models = [AlignmentTestSupport.linearModel(w), AlignmentTestSupport.quadraticModel(w, v)]
    let analyzer = AlignmentAnalyzer(settings: AlignmentSettings(measure: .flow, flowSteps: 2))
    let whole = analyzer.analyze(inputs, models: models, batchSize: 16)
    let single = analyzer.analyze(inputs, models: models, batchSize: 1)
    #expect(whole == single)
    #expect(whole.count == 5 && whole.allSatisfy { $0.count == 2 })

    let pointwise = AlignmentAnalyzer()
    let viaModels = pointwise.analyze(inputs, models: models)
    for (p, input) in inputs.enumerated() {
      let gradients = models.map { $0.logitsAndInputGradients(input.x, count: 1).gradients }
      var given = pointwise.analyze(input, gradients: gradients)
      for m in 0..<2 { given[m].logit = viaModels[p][m].logit }
      #expect(given == viaModels[p])
    }
  }

  @Test func progressIsReportedAndStoppingKeepsTheDonePatients() {
    let inputs = (0..<5).map { FeatureTestInputs.random(seed: 40 + UInt64($0)) }
    let analyzer = AlignmentAnalyzer(features: [AlignmentTestSupport.linearFeature(v)])
    var reported: [Int] = []
    let all = analyzer.analyze(inputs, models: [AlignmentTestSupport.linearModel(w)], batchSize: 2,
                               progress: { reported.append($0) })
    #expect(reported == [2, 4, 5])
    var calls = 0
    let stopped = analyzer.analyze(inputs, models: [AlignmentTestSupport.linearModel(w)], batchSize: 2,
                                   shouldStop: { calls += 1; return calls > 1 })
    #expect(stopped.count == 2)
    #expect(stopped == Array(all.prefix(2)))
  }
}
