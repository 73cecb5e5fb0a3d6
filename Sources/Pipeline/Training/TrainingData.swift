// TrainingData: a cohort (or a tensors file) made ready for training: samples of the train, val
// and test splits, each with its penalty directions — the gradients ∇ₓg_k(x) of the chosen
// features S on the sample's own crop (a feature undefined on a sample gives no direction there,
// and is counted) — plus a hash of the data for the model file.

import Common
import Engine
import Imaging

public struct TrainingData: Sendable {
  public var train: [TrainingSample]
  public var validation: [TrainingSample]
  public var test: [TrainingSample]
  /// Patient ids of each split, in sample order.
  public var trainIDs: [String]
  public var validationIDs: [String]
  public var testIDs: [String]
  /// The feature set S whose gradients are the directions (empty: directions given directly, or none).
  public var features: [String]
  /// Per feature of S: training samples where it was undefined, so gave no direction.
  public var omittedDirections: [String: Int]
  /// Training samples left without any direction (their penalty is 0).
  public var withoutDirections: Int
  /// DataHash of every sample used (all splits).
  public var hash: String
  /// Where the data came from (cohort name or tensors file).
  public var source: String
  /// Patients left out (crops that failed, with --skip-invalid).
  public var excluded: [ExcludedPatient]

  /// Splits `inputs` (samples without a split train) and gives every sample the directions of
  /// `features`, computed on its crop (needs masks), or those of `directions` (one set per sample
  /// of `inputs`, in order) when no features are chosen.
  public static func prepare(_ inputs: AnalysisInputs, features: [FeatureDefinition], directions: [DirectionSet]? = nil,
                             threads: Int = Parallelism.defaultThreads) throws(FileError) -> TrainingData {
    guard inputs.samples.allSatisfy({ $0.label != nil }) else {
      throw FileError(path: inputs.source, place: "labels", problem: "training needs a 0/1 label for every sample",
                      hint: inputs.origin == .tensors ? "add label [N] to the tensors file" : nil)
    }
    let sets: [DirectionSet]
    var omitted: [String: Int] = [:]
    if !features.isEmpty {
      guard let featureInputs = inputs.featureInputs else {
        throw FileError(path: inputs.source, place: "mask", problem: "--features needs the GTV mask of every sample: "
                          + (inputs.featureProblem ?? "no usable mask"))
      }
      let evaluated = ParallelWork.map(featureInputs.count, threads: threads) {
        FeatureCatalog.evaluate(features, on: featureInputs[$0])
      }
      sets = evaluated.map { values in values.compactMap(\.gradient) }
      for (sample, values) in zip(inputs.samples, evaluated) where (sample.split ?? .train) == .train {
        for (feature, value) in zip(features, values) where value.gradient == nil { omitted[feature.name, default: 0] += 1 }
      }
    } else if let directions {
      precondition(directions.count == inputs.samples.count, "one direction set per sample")
      sets = directions
    } else {
      sets = [DirectionSet](repeating: [], count: inputs.samples.count)
    }
    var data = TrainingData(train: [], validation: [], test: [], trainIDs: [], validationIDs: [], testIDs: [],
                            features: features.map(\.name), omittedDirections: omitted, withoutDirections: 0,
                            hash: DataHash.of(inputs.samples), source: inputs.source, excluded: inputs.excluded)
    for (sample, set) in zip(inputs.samples, sets) {
      let item = TrainingSample(x: sample.x, mask: sample.mask, label: sample.label ?? 0, directions: set)
      switch sample.split ?? .train {
      case .train:
        data.train.append(item); data.trainIDs.append(sample.id)
        if set.isEmpty { data.withoutDirections += 1 }
      case .val: data.validation.append(item); data.validationIDs.append(sample.id)
      case .test: data.test.append(item); data.testIDs.append(sample.id)
      }
    }
    guard !data.train.isEmpty else {
      throw FileError(path: inputs.source, place: "split", problem: "no training samples",
                      hint: "training uses the patients of the train split")
    }
    return data
  }

  /// The positive-class weight of BCE_w: negatives / positives of the training split.
  public var positiveWeight: Double { BinaryCrossEntropy.positiveWeight(labels: train.map(\.label)) }
}
