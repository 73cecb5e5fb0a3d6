// The shipped demo models (Assets/model-A.safetensors, model-B.safetensors) load, and the run each
// file records in fgf.training is DemoModels' recipe (which README and Assets/train-demo-models.sh
// give as commands): A without the penalty, B with λ and S, both on the demo cohort, same seed and
// batch size, each its epochs and learning rate, B starting from A's weights and kept above its
// alignment floor, with validation and test figures in fgf.metrics.

import Testing
import Common
import Engine
import Pipeline

@Suite struct DemoModelsTests {
  @Test func shippedModelsFollowTheRecipe() throws {
    #expect(try DemoModels.load().map(\.label) == ["A", "B"])
    let models = try [DemoModels.fileA, DemoModels.fileB].map { try Model.load(AssetLocator.path($0)) }
    for (model, isB) in zip(models, [false, true]) {
      let training = try JSONValue.parse(try #require(model.metadata["fgf.training"]))
      #expect(training["source"]?.stringValue == "demo")
      #expect(training["seed"]?.intValue == Int(DemoModels.seed))
      #expect(training["epochs"]?.intValue == (isB ? DemoModels.epochsB : DemoModels.epochsA))
      #expect(training["learning_rate"]?.doubleValue == (isB ? DemoModels.learningRateB : DemoModels.learningRateA))
      #expect(training["batch_size"]?.intValue == 32)
      #expect(training["augment"]?.boolValue == true)
      #expect(training["lambda"]?.doubleValue == (isB ? DemoModels.lambdaB : 0))
      #expect(training["features"]?.arrayValue?.compactMap { $0.stringValue } == (isB ? DemoModels.featuresB : []))
      // A is a new FGF-CNN from the seed; B continues from A's file.
      if isB {
        #expect(training["initial"]?["file"]?.stringValue == DemoModels.fileA)
        #expect(training["initial"]?["parameters_hash"]?.stringValue == ParameterHash.of(models[0].parameters))
        #expect(training["alignment_floor"]?["gain"]?.doubleValue == DemoModels.minimumAlignmentGainB)
        // The kept epoch's validation alignment on S reached the floor.
        let floor = try #require(training["alignment_floor"]?["floor"]?.doubleValue)
        let metrics = try JSONValue.parse(try #require(model.metadata["fgf.metrics"]))
        #expect((metrics["validation"]?["alignment_on_features"]?.doubleValue ?? 0) >= floor)
      } else {
        #expect(training["alignment_floor"] == nil)
        #expect(training["initial"]?["architecture"]?.stringValue == "FGF-CNN")
        #expect(training["initial"]?["seed"]?.intValue == Int(DemoModels.seed))
      }
      let metrics = try JSONValue.parse(try #require(model.metadata["fgf.metrics"]))
      #expect(metrics["validation"]?["patients"]?.intValue == 60)
      #expect(metrics["test"]?["patients"]?.intValue == 60)
      #expect((metrics["test"]?["auc"]?.doubleValue ?? 0) > 0.5)
    }
  }
}
