// The outputs of `fgf analyze`: the table shows every feature row with its figures and verdict;
// JSON and CSV carry the same numbers as the result, per cohort and per patient; the dump holds
// every tensor with the right shapes and values, and a cohort's dump read back as `--tensors`
// gives the same figures (real synthetic crops, so the whole path is exercised).

import Testing
import Foundation
import Common
import Engine
import Imaging
import Pipeline

@Suite struct AnalysisOutputTests {
  static func analysis() throws -> (AnalysisResult, [FeatureDefinition], [AnalysisModel]) {
    let inputs = TestCrops.inputs(count: 6)
    let features = try FeatureCatalog.select(["shape.volume", "intensity.std", "position.y"])
    let models = [
      AnalysisModel(label: "A", source: "f = volume", oracle: TestCrops.featureModel("shape.volume")),
      AnalysisModel(label: "B", path: "seeded.safetensors", model: try Model(architecture: .fgfCNN(), seed: 8)),
    ]
    return (CohortAnalysis.run(inputs, models: models, options: AnalysisOptions(features: features, threads: 2)), features, models)
  }

  @Test func tableShowsEveryFeatureAndModel() throws {
    let (result, _, _) = try Self.analysis()
    let text = AnalysisTable.render(result)
    print(text)
    #expect(text.contains("fgf analyze: cohort hand-built, split all: 6 patients (3 with DM)"))
    #expect(text.contains("measure |cos| (abs), baseline white (J = 32)"))
    #expect(text.contains("Model A (f = volume): AUC 1.000"))
    #expect(text.contains("Model B (seeded.safetensors): AUC "))
    let volumeRow = try #require(text.split(separator: "\n").first { $0.hasPrefix("  shape.volume") })
    let s = result.models[0].summaries[0]
    #expect(volumeRow.contains(String(format: "%.4f", s.meanAlignment ?? -1)))
    #expect(volumeRow.contains(String(format: "[%.4f, %.4f]", s.ciLower ?? -1, s.ciUpper ?? -1)))
    #expect(volumeRow.contains(" * ") == s.significant)
  }

  @Test func jsonCarriesTheResult() throws {
    let (result, _, _) = try Self.analysis()
    let json = try JSONValue.parse(AnalysisJSON.render(result))
    #expect(json["source"]?["patients"]?.intValue == 6)
    #expect(json["features"]?.arrayValue?.compactMap(\.stringValue) == ["shape.volume", "intensity.std", "position.y"])
    let models = try #require(json["models"]?.arrayValue)
    #expect(models.count == 2)
    for (m, model) in models.enumerated() {
      let expected = result.models[m]
      #expect(model["auc"]?.doubleValue == expected.auc)
      let summary = try #require(model["summary"]?.arrayValue)
      for (k, item) in summary.enumerated() {
        #expect(item["mean_alignment"]?.doubleValue == expected.summaries[k].meanAlignment)
        #expect(item["p_holm"]?.doubleValue == expected.summaries[k].adjustedP)
        #expect(item["significant"]?.boolValue == expected.summaries[k].significant)
      }
      let patients = try #require(model["patients"]?.arrayValue)
      #expect(patients.count == 6)
      #expect(patients[3]["id"]?.stringValue == "P3")
      #expect(patients[3]["logit"]?.doubleValue.map(Float.init) == expected.logits[3])
      let feature = try #require(patients[3]["features"]?.arrayValue?[1])
      #expect(feature["alignment"]?.doubleValue == expected.patients[3].features[1].alignment)
      #expect(feature["value"]?.doubleValue == expected.patients[3].features[1].value)
    }
  }

  @Test func csvIsOneTidyTable() throws {
    let (result, _, _) = try Self.analysis()
    let rows = try CSV.parse(AnalysisCSV.render(result), path: "out.csv")
    #expect(rows.first == AnalysisCSV.columns)
    // Per model: 3 cohort rows and 6 × 3 patient rows.
    #expect(rows.count == 1 + 2 * (3 + 18))
    let column = Dictionary(uniqueKeysWithValues: AnalysisCSV.columns.enumerated().map { ($1, $0) })
    func cell(_ row: [String], _ name: String) -> String { row[column[name] ?? 0] }
    let cohortB = try #require(rows.first { cell($0, "scope") == "cohort" && cell($0, "model") == "B" && cell($0, "feature") == "intensity.std" })
    #expect(Double(cell(cohortB, "alignment")) == result.models[1].summaries[1].meanAlignment)
    #expect(Double(cell(cohortB, "p")) == result.models[1].summaries[1].pValue)
    #expect(cell(cohortB, "baseline") == "white" && cell(cohortB, "measure") == "abs")
    let patient = try #require(rows.first { cell($0, "scope") == "patient" && cell($0, "model") == "A"
      && cell($0, "patient_id") == "P4" && cell($0, "feature") == "position.y" })
    #expect(Double(cell(patient, "alignment")) == result.models[0].patients[4].features[2].alignment)
    #expect(cell(patient, "label") == "1" && cell(patient, "split") == "val")
  }

  @Test func dumpHoldsEveryTensor() throws {
    let (result, features, models) = try Self.analysis()
    let dump = AnalysisDump.make(result, features: features, models: models, threads: 2)
    let file = try SafetensorsFile.parse(dump.encoded(), path: "dump")
    #expect(try file.floats("input", expectedShape: [6, 3, 64, 64]).values == result.inputs.samples.flatMap(\.x))
    #expect(try file.floats("mask", expectedShape: [6, 3, 64, 64]).values == result.inputs.samples.flatMap { $0.mask ?? [] })
    #expect(try file.floats("label", expectedShape: [6]).values == [0, 0, 0, 1, 1, 1])
    let patient = try #require(result.inputs.samples[4].featureInput)
    let volume = try #require(features[0].evaluate(patient).gradient)
    let grads = try file.floats("feature_grad.shape.volume", expectedShape: [6, 3, 64, 64]).values
    #expect(Array(grads[(4 * 12288)..<(5 * 12288)]) == volume)
    #expect(try file.floats("feature.intensity.std", expectedShape: [6]).values[2]
      == Float(result.models[0].patients[2].features[1].value ?? .nan))
    for (m, label) in ["A", "B"].enumerated() {
      #expect(try file.floats("\(label).alignment.position.y", expectedShape: [6]).values
        == result.models[m].patients.map { Float($0.features[2].alignment ?? .nan) })
      #expect(try file.floats("\(label).alignment.noise.white", expectedShape: [6]).values
        == result.models[m].patients.map { Float($0.features[0].noiseAlignment ?? .nan) })
      #expect(try file.floats("\(label).logit", expectedShape: [6]).values == result.models[m].logits)
      #expect(file.entry("\(label).grad_x")?.shape == [6, 3, 64, 64])
    }
    let ids = try JSONValue.parse(file.metadata["fgf.patient_ids"] ?? "")
    #expect(ids.arrayValue?.compactMap(\.stringValue) == (0..<6).map { "P\($0)" })
  }

  @Test func aCohortDumpReadAsTensorsGivesTheSameFigures() throws {
    let cohort = SyntheticCohort(patients: 8, seed: 5)
    let inputs = try #require(try AnalysisInputs.load(crops: CropStore(cohort: cohort, diskCache: false), selection: .all))
    let model = AnalysisModel(label: "A", path: "seeded", model: try Model(architecture: .fgfCNN(), seed: 12))
    let options = AnalysisOptions(alignment: AlignmentSettings(baseline: .smooth), threads: 2)
    let direct = CohortAnalysis.run(inputs, models: [model], options: options)
    let path = NSTemporaryDirectory() + "fgf-pipeline-dump-\(getpid()).safetensors"
    defer { unlink(path) }
    try AnalysisDump.make(direct, features: options.features, models: [model], threads: 2).write(to: path)
    let tensors = try TensorInputs.read(path)
    #expect(tensors.ids == cohort.patients.map(\.id))
    #expect(tensors.sliceThickness == [Double](repeating: 3, count: 8))
    let again = CohortAnalysis.run(AnalysisInputs.tensors(tensors, selection: .all), models: [model], options: options)
    #expect(again.models[0].patients == direct.models[0].patients)
    #expect(again.models[0].summaries == direct.models[0].summaries)
    #expect(again.inputs.samples.map(\.id) == direct.inputs.samples.map(\.id))
    #expect(again.inputs.samples.map(\.split) == direct.inputs.samples.map(\.split))
  }
}
