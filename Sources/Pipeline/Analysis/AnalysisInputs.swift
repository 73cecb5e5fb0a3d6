// AnalysisInputs: the patients an analysis runs on, as feature inputs (crop x, GTV mask, slice
// thickness) with their ids, labels and splits, and the patients left out with the reason. Made
// from a cohort (through its CropStore: crops computed once, in parallel, and cached) or from a
// tensors file (`--tensors`), so that everything downstream treats both alike.

import Common
import Engine
import Imaging

/// Which patients of a cohort to use.
public enum SplitSelection: String, Sendable, CaseIterable, Codable {
  case train, val, test, all

  public func includes(_ split: Split?) -> Bool {
    switch self {
    case .all: return true
    case .train: return split == .train
    case .val: return split == .val
    case .test: return split == .test
    }
  }
}

/// One patient of an analysis.
public struct AnalysisSample: Sendable {
  public var id: String
  /// DM 0/1, when known.
  public var label: Int?
  /// The patient's split, when known.
  public var split: Split?
  /// The model input [C, H, W] (3×64×64 for cohorts).
  public var x: [Float]
  /// The GTV mask crop, like x; nil when not known (tensors without a mask).
  public var mask: [Float]?
  /// s_z in mm (1 for tensors unless given).
  public var sliceThickness: Double

  public init(id: String, label: Int?, split: Split?, x: [Float], mask: [Float]?, sliceThickness: Double) {
    self.id = id; self.label = label; self.split = split
    self.x = x; self.mask = mask; self.sliceThickness = sliceThickness
  }

  /// What features see, when the sample is a 3×64×64 crop with its mask.
  public var featureInput: FeatureInput? {
    guard let mask, x.count == FeatureInput.count, mask.count == FeatureInput.count else { return nil }
    return FeatureInput(x: x, mask: mask, sliceThickness: sliceThickness)
  }
}

/// A patient that could not be used, and why (e.g. an empty mask, an unreadable file).
public struct ExcludedPatient: Sendable, Equatable {
  public var id: String
  public var reason: String
  public init(id: String, reason: String) { self.id = id; self.reason = reason }
}

/// The patients of one analysis.
public struct AnalysisInputs: Sendable {
  public enum Origin: String, Sendable { case cohort, tensors }

  public var origin: Origin
  /// The cohort's name (directory, "demo") or the tensors file.
  public var source: String
  public var selection: SplitSelection
  /// [C, H, W] of every sample (3×64×64 for cohorts).
  public var sampleShape: [Int]
  public var samples: [AnalysisSample]
  public var excluded: [ExcludedPatient]
  /// Why features cannot be computed on these inputs (no mask in a tensors file), or nil.
  public var featureProblem: String?

  public init(origin: Origin, source: String, selection: SplitSelection,
              sampleShape: [Int] = [FeatureInput.channels, FeatureInput.side, FeatureInput.side],
              samples: [AnalysisSample], excluded: [ExcludedPatient] = [], featureProblem: String? = nil) {
    precondition(samples.allSatisfy { $0.x.count == sampleShape.reduce(1, *) }, "every sample has the stated shape")
    self.origin = origin; self.source = source; self.selection = selection; self.sampleShape = sampleShape
    self.samples = samples; self.excluded = excluded; self.featureProblem = featureProblem
  }

  /// Feature inputs in sample order; nil when features cannot be computed (`featureProblem`).
  public var featureInputs: [FeatureInput]? {
    guard featureProblem == nil else { return nil }
    var inputs: [FeatureInput] = []
    inputs.reserveCapacity(samples.count)
    for sample in samples {
      guard let input = sample.featureInput else { return nil }
      inputs.append(input)
    }
    return inputs
  }

  /// Every sample's x laid end to end, [N, C, H, W].
  public var stackedX: [Float] { samples.flatMap(\.x) }

  /// The selected patients of a cohort, their crops from `crops` (computed on all cores and
  /// cached). A patient whose crop fails throws, or with `skipInvalid` is left out and listed in
  /// `excluded`. `progress` hears (done, total); nil when `isCancelled` stopped the work.
  public static func load(crops: CropStore, selection: SplitSelection, skipInvalid: Bool = false,
                          progress: (@Sendable (Int, Int) -> Void)? = nil,
                          isCancelled: (@Sendable () -> Bool)? = nil) throws(FileError) -> AnalysisInputs? {
    let patients = crops.cohort.patients.filter { selection.includes($0.split) }
    guard let results = crops.results(for: patients, progress: progress, isCancelled: isCancelled) else { return nil }
    var samples: [AnalysisSample] = [], excluded: [ExcludedPatient] = []
    samples.reserveCapacity(patients.count)
    for (patient, result) in zip(patients, results) {
      switch result {
      case .success(let crop):
        samples.append(AnalysisSample(id: patient.id, label: patient.label, split: patient.split,
                                      x: crop.x, mask: crop.mask, sliceThickness: crop.sliceThickness))
      case .failure(let error):
        guard skipInvalid else {
          throw FileError(path: error.path, place: error.place, problem: error.problem,
                          hint: error.hint ?? "fix or remove the patient, or pass --skip-invalid to leave such patients out")
        }
        excluded.append(ExcludedPatient(id: patient.id, reason: error.description))
      }
    }
    return AnalysisInputs(origin: .cohort, source: crops.cohort.name, selection: selection, samples: samples, excluded: excluded)
  }

  /// The samples of a tensors file selected by `selection` through its `split` tensor (0 train,
  /// 1 val, 2 test); a file without one is used whole. Ids are the file's patient ids when it
  /// records them (dumps of cohorts do), else the sample indices ("0", "1", …). Features need
  /// the mask and 3×64×64 samples; without them `featureProblem` says why.
  public static func tensors(_ inputs: TensorInputs, selection: SplitSelection) -> AnalysisInputs {
    let splits: [Split?] = inputs.splits.map { $0.map { [Split.train, .val, .test][$0] } }
      ?? [Split?](repeating: nil, count: inputs.count)
    let selected = (0..<inputs.count).filter { inputs.splits == nil || selection.includes(splits[$0]) }
    var problem: String? = nil
    if inputs.sampleShape != [FeatureInput.channels, FeatureInput.side, FeatureInput.side] {
      problem = "samples are \(inputs.sampleShape), features are defined on 3×64×64 crops"
    } else if inputs.mask == nil {
      problem = "\(inputs.path) has no mask tensor, and features need the GTV mask"
    }
    let d = inputs.sampleCount
    let samples = selected.map { i in
      AnalysisSample(id: inputs.ids?[i] ?? String(i), label: inputs.labels?[i], split: splits[i], x: Array(inputs.x[(i * d)..<((i + 1) * d)]),
                     mask: inputs.mask.map { Array($0[(i * d)..<((i + 1) * d)]) },
                     sliceThickness: inputs.sliceThickness?[i] ?? 1)
    }
    return AnalysisInputs(origin: .tensors, source: inputs.path, selection: inputs.splits == nil ? .all : selection,
                          sampleShape: inputs.sampleShape, samples: samples, featureProblem: problem)
  }
}
