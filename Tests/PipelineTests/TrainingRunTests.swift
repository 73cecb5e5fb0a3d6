// Regularized training through Pipeline on real synthetic crops: an interrupted run resumed from
// its checkpoint ends bit-identical to an uninterrupted one (parameters, history, metadata); a
// checkpoint refuses another feature set; results do not depend on the thread count; directions
// of undefined features are left out and counted; the model file's metadata records the run.

import Testing
import Foundation
import Common
import Engine
import Imaging
import Pipeline

@Suite(.serialized) struct TrainingRunTests {
  static let data: TrainingData = {
    let cohort = SyntheticCohort(patients: 10, seed: 21)
    let crops = CropStore(cohort: cohort, diskCache: false)
    // The cohort is generated, so its crops cannot fail.
    let inputs = (try? AnalysisInputs.load(crops: crops, selection: .all)) ?? nil
    let features = (try? FeatureCatalog.select(["shape.volume", "texture.contrast"])) ?? []
    guard let inputs, let data = try? TrainingData.prepare(inputs, features: features) else { fatalError("test cohort") }
    return data
  }()

  static func request(threads: Int = 2) -> TrainingRequest {
    var request = TrainingRequest()
    request.epochs = 3; request.batchSize = 4; request.seed = 5; request.lambda = 0.5; request.threads = threads
    return request
  }

  static func path(_ name: String) -> String { NSTemporaryDirectory() + "fgf-pipeline-train-\(getpid())-\(name)" }

  static let initial = JSONValue.string("test")

  @Test func interruptedAndResumedEqualsUninterrupted() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 5)
    let straightCheckpoint = Self.path("straight.ckpt"), interruptedCheckpoint = Self.path("interrupted.ckpt")
    defer { unlink(straightCheckpoint); unlink(interruptedCheckpoint) }
    var epochs: [EpochProgress] = []
    let straight = try TrainingRun.run(model: model, initial: Self.initial, data: Self.data, request: Self.request(),
                                       checkpoint: straightCheckpoint, preprocess: "{\"version\":1}",
                                       onEpoch: { epochs.append($0) })
    #expect(!straight.cancelled && straight.completedEpochs == 3 && epochs.count == 3)
    #expect(epochs.allSatisfy { $0.validation.subspaceAlignment != nil && $0.validation.samples == Self.data.validation.count })

    var batches = 0
    let interrupted = try TrainingRun.run(model: model, initial: Self.initial, data: Self.data, request: Self.request(),
                                          checkpoint: interruptedCheckpoint, onBatch: { _ in batches += 1 },
                                          isCancelled: { batches == 3 })
    #expect(interrupted.cancelled && interrupted.completedEpochs == 1)
    #expect(interrupted.validation == nil && interrupted.test == nil)
    let resumed = try TrainingRun.run(model: model, initial: Self.initial, data: Self.data, request: Self.request(threads: 1),
                                      checkpoint: interruptedCheckpoint, resume: true, preprocess: "{\"version\":1}")
    #expect(!resumed.cancelled)
    #expect(resumed.model.parameters == straight.model.parameters)
    #expect(resumed.history == straight.history)
    #expect(resumed.model.metadata == straight.model.metadata)
    #expect(resumed.test == straight.test && resumed.validation == straight.validation)
  }

  @Test func checkpointRefusesAnotherFeatureSet() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 5)
    let checkpoint = Self.path("refuse.ckpt")
    defer { unlink(checkpoint) }
    var request = Self.request()
    request.epochs = 1
    _ = try TrainingRun.run(model: model, initial: Self.initial, data: Self.data, request: request, checkpoint: checkpoint)
    var other = Self.data
    other.features = ["shape.volume"]
    request.epochs = 2
    #expect { try TrainingRun.run(model: model, initial: Self.initial, data: other, request: request,
                                  checkpoint: checkpoint, resume: true) } throws: {
      ($0 as? FileError)?.description.contains("different configuration") == true
    }
  }

  @Test func metadataRecordsTheRun() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 5)
    var request = Self.request()
    request.epochs = 1
    let outcome = try TrainingRun.run(model: model, initial: .object([("seed", .number("5"))]), data: Self.data, request: request,
                                      checkpoint: nil, preprocess: "{\"version\":1}")
    let training = try JSONValue.parse(outcome.model.metadata["fgf.training"] ?? "")
    #expect(training["lambda"]?.doubleValue == 0.5)
    #expect(training["seed"]?.stringValue == "5" || training["seed"]?.intValue == 5)
    #expect(training["epochs"]?.intValue == 1)
    #expect(training["features"]?.arrayValue?.compactMap(\.stringValue) == ["shape.volume", "texture.contrast"])
    #expect(training["data_hash"]?.stringValue == Self.data.hash)
    #expect(training["data_hash"]?.stringValue?.hasPrefix("fnv1a64:") == true)
    #expect(training["initial"]?["seed"]?.intValue == 5)
    #expect(training["patients"]?["train"]?.intValue == Self.data.train.count)
    let metrics = try JSONValue.parse(outcome.model.metadata["fgf.metrics"] ?? "")
    #expect(metrics["test"]?["auc"] == outcome.test?.auc.map { JSONValue.number($0) } ?? .null)
    #expect(metrics["validation"]?["patients"]?.intValue == Self.data.validation.count)
    #expect(metrics["best_epoch"]?.intValue == 1)
    #expect(outcome.model.metadata["fgf.preprocess"] == "{\"version\":1}")
    // The file keeps it all.
    let path = Self.path("model.safetensors")
    defer { unlink(path) }
    try outcome.model.save(to: path)
    var stored = try Model.load(path).metadata
    #expect(stored.removeValue(forKey: Model.architectureKey) != nil)
    #expect(stored == outcome.model.metadata)
  }

  @Test func dataHashFollowsTheContent() throws {
    let inputs = TestCrops.inputs(count: 4)
    let same = try TrainingData.prepare(inputs, features: [])
    var changed = inputs
    changed.samples[2].x[100] += 1e-6
    #expect(try TrainingData.prepare(changed, features: []).hash != same.hash)
    var relabelled = inputs
    relabelled.samples[0].label = 1
    #expect(try TrainingData.prepare(relabelled, features: []).hash != same.hash)
    #expect(try TrainingData.prepare(inputs, features: []).hash == same.hash)
  }

  @Test func undefinedFeaturesGiveNoDirection() throws {
    var inputs = TestCrops.inputs(count: 6)
    // Sample 0 (train): constant intensity inside the mask, so intensity.std is undefined there.
    for i in 0..<FeatureInput.count where inputs.samples[0].mask?[i] == 1 { inputs.samples[0].x[i] = 0.4 }
    let data = try TrainingData.prepare(inputs, features: try FeatureCatalog.select(["intensity.std", "shape.area"]))
    #expect(data.omittedDirections == ["intensity.std": 1])
    #expect(data.train[0].directions.count == 1 && data.train[1].directions.count == 2)
    #expect(data.withoutDirections == 0)
    #expect(data.train.count == 2 && data.validation.count == 2 && data.test.count == 2)
  }
}
