// The cohort analysis end to end on hand-built cases whose answers are known: a linear model
// f(x) = ⟨w, x⟩ with w a feature's gradient at a patient's crop aligns with that feature exactly
// there; a model that is a feature is significant on it and follows it on every patient; figures
// do not depend on threads or batch size; AUC, undefined counts, splits, logits-only inputs.

import Testing
import Foundation
import Common
import Engine
import Imaging
import Pipeline

@Suite struct CohortAnalysisTests {
  @Test func linearModelAlignsExactlyWithTheFeatureItIsMadeOf() throws {
    let inputs = TestCrops.inputs(count: 4)
    let features = try FeatureCatalog.select(["shape.area", "intensity.mean", "position.x"])
    let target = try #require(inputs.samples[2].featureInput)
    let w = try #require(features[0].evaluate(target).gradient)
    let model = AnalysisModel(label: "L", source: "linear", oracle: TestCrops.linearModel(w))
    let result = CohortAnalysis.run(inputs, models: [model], options: AnalysisOptions(features: features, threads: 2))
    let alignment = try #require(result.models[0].patients[2].features[0].alignment)
    print("linear model: |cos| with its own feature \(alignment), 1 − it = \(1 - alignment)")
    #expect(abs(alignment - 1) < 1e-12)
    // White noise against a dense gradient: √(2/(πd)) on average, d = 12288 (±40% over 32 draws).
    let noise = try #require(result.models[0].patients[2].features[0].noiseAlignment)
    #expect(abs(noise / (2 / (Double.pi * 12288)).squareRoot() - 1) < 0.4)
    // The logit is ⟨w, x⟩.
    let expected = zip(w, target.x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    #expect(abs(Double(result.models[0].logits[2]) - expected) <= 1e-5 * abs(expected))
  }

  @Test func aModelThatIsAFeatureIsSignificantOnIt() throws {
    let inputs = TestCrops.inputs(count: 12)
    let features = try FeatureCatalog.select(["shape.volume", "position.x"])
    let model = AnalysisModel(label: "V", source: "f = shape.volume", oracle: TestCrops.featureModel("shape.volume"))
    let result = CohortAnalysis.run(inputs, models: [model], options: AnalysisOptions(features: features, threads: 2))
    let volume = result.models[0].summaries[0]
    #expect(volume.pairs == 12 && volume.undefinedAlignments == 0)
    #expect((volume.meanAlignment ?? 0) > 0.99)
    #expect(volume.significant)
    // Exact one-sided Wilcoxon with all 12 differences positive: p = 2⁻¹²; Holm over 2 features.
    #expect(abs((volume.pValue ?? 1) - pow(2, -12)) < 1e-15)
    // The model's logit is the volume, which grows with the radius, and the label is the larger half.
    #expect(result.models[0].auc == 1)
  }

  @Test func figuresDoNotDependOnThreadsOrBatchSize() throws {
    let inputs = TestCrops.inputs(count: 7)
    let model = AnalysisModel(label: "A", path: "seeded", model: try Model(architecture: .fgfCNN(), seed: 3))
    for measure in [AlignmentMeasure.abs, .flow] {
      var settings = AlignmentSettings(measure: measure, baseline: .matched)
      settings.flowSteps = 2
      let one = CohortAnalysis.run(inputs, models: [model], options: AnalysisOptions(alignment: settings, threads: 1, batchSize: 1))
      let two = CohortAnalysis.run(inputs, models: [model], options: AnalysisOptions(alignment: settings, threads: 2, batchSize: 5))
      #expect(one.models[0].patients == two.models[0].patients)
      #expect(one.models[0].summaries == two.models[0].summaries)
      #expect(one.models[0].logits == two.models[0].logits)
    }
  }

  @Test func undefinedFeaturesAreCountedNotZero() throws {
    var inputs = TestCrops.inputs(count: 5)
    // Patient 1's mask is empty: every feature is undefined there.
    inputs.samples[1].mask = [Float](repeating: 0, count: FeatureInput.count)
    let model = AnalysisModel(label: "A", path: "seeded", model: try Model(architecture: .fgfCNN(), seed: 4))
    let result = CohortAnalysis.run(inputs, models: [model], options: AnalysisOptions(threads: 2))
    for summary in result.models[0].summaries {
      #expect(summary.patients == 5)
      #expect(summary.undefinedAlignments >= 1 && summary.undefinedValues >= 1)
      #expect(summary.pairs == 5 - summary.undefinedAlignments)
    }
    #expect(result.models[0].patients[1].features.allSatisfy { $0.alignment == nil && $0.undefinedReason == "empty mask" })
  }

  @Test func stopsAfterTheCurrentBatchWhenAsked() throws {
    let inputs = TestCrops.inputs(count: 9)
    let model = AnalysisModel(label: "A", path: "seeded", model: try Model(architecture: .fgfCNN(), seed: 4))
    var reports: [Int] = []
    let result = CohortAnalysis.run(inputs, models: [model], options: AnalysisOptions(threads: 2, batchSize: 4),
                                    progress: { done, total in reports.append(done); #expect(total == 9) },
                                    shouldStop: { reports.count >= 1 })
    #expect(result.cancelled)
    #expect(reports == [4])
    #expect(result.inputs.samples.count == 4 && result.models[0].patients.count == 4)
  }

  @Test func tensorsWithoutMaskGiveLogitsAndAUC() throws {
    let path = NSTemporaryDirectory() + "fgf-pipeline-nomask-\(getpid()).safetensors"
    defer { unlink(path) }
    let inputs = TestCrops.inputs(count: 6)
    var writer = SafetensorsWriter()
    writer.add("x", shape: [6, 3, 64, 64], floats: inputs.samples.flatMap(\.x))
    writer.add("label", shape: [6], int64: inputs.samples.map { Int64($0.label ?? 0) })
    writer.add("split", shape: [6], int64: [0, 1, 2, 2, 2, 2])
    try writer.write(to: path)
    let tensors = AnalysisInputs.tensors(try TensorInputs.read(path), selection: .test)
    #expect(tensors.samples.map(\.id) == ["2", "3", "4", "5"])
    #expect(tensors.featureProblem?.contains("mask") == true)
    let model = try Model(architecture: .fgfCNN(), seed: 5)
    let result = CohortAnalysis.run(tensors, models: [AnalysisModel(label: "A", path: "m", model: model)])
    #expect(result.features.isEmpty && result.models[0].summaries.isEmpty)
    let direct = model.logits(tensors.samples.flatMap(\.x), count: 4, threads: 1)
    #expect(result.models[0].logits == direct)
    #expect(result.models[0].auc == rocAUC(scores: direct, labels: tensors.samples.compactMap(\.label)))
  }

  @Test func cohortSplitsAreSelected() throws {
    let cohort = SyntheticCohort(patients: 10, seed: 77)
    let crops = CropStore(cohort: cohort, diskCache: false)
    let test = try #require(try AnalysisInputs.load(crops: crops, selection: .test))
    #expect(test.samples.map(\.id) == cohort.patients.filter { $0.split == .test }.map(\.id))
    #expect(test.samples.allSatisfy { $0.sliceThickness == 3 && $0.featureInput != nil })
    let all = try #require(try AnalysisInputs.load(crops: crops, selection: .all))
    #expect(all.samples.count == 10 && all.excluded.isEmpty)
  }
}
