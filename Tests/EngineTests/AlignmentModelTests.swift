// The engine's model as the analysis's gradient oracle: it conforms as it is, and the thread count
// and batching change no figure, along the flow included.
import Testing
import Engine

@Suite struct AlignmentModelTests {
  @Test func fgfCNNFlowAnalysisIsIndependentOfThreadsAndBatches() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 3)
    let inputs = (0..<3).map { FeatureTestInputs.random(seed: 60 + UInt64($0)) }
    let analyzer = AlignmentAnalyzer(settings: AlignmentSettings(measure: .flow, baseline: .smooth, flowSteps: 2))
    let one = analyzer.analyze(inputs, models: [model], batchSize: 3, threads: 1)
    let two = analyzer.analyze(inputs, models: [model], batchSize: 2, threads: 2)
    #expect(one == two)
    let logits = model.logits(inputs.flatMap(\.x), count: 3)
    #expect(one.map { $0[0].logit } == logits)
    #expect(one.allSatisfy { $0[0].features.contains { $0.pointsUsed == 5 } })
  }
}
