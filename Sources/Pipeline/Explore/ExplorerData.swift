// ExplorerData: the contract between the terminal explorer and whatever computes what it shows.
// The explorer (module Explorer) draws and handles keys; a provider conforming to this protocol
// loads CT volumes, runs models and computes alignment figures. The explorer calls every method
// below from ONE background worker thread, never from the UI thread, except `assess`, which must
// be pure and cheap. Providers cache what they compute: the explorer may ask again for work that
// was cancelled half-way, and expects cached parts back quickly.

import Foundation
import Imaging

/// A problem the explorer shows to the user instead of a figure (a file that cannot be read, a
/// model that is missing, a patient whose mask is empty). One line, plain words.
public struct ExploreProblem: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A model shown side by side with the others ("A", "B").
public struct ExploreModel: Sendable, Equatable {
  /// One letter shown in headers: "A", "B".
  public var label: String
  /// The model's file name or a short name.
  public var name: String
  /// One line about how it was trained (e.g. "λ 0.5 on shape.volume, texture.contrast").
  public var detail: String

  public init(label: String, name: String, detail: String = "") {
    self.label = label; self.name = name; self.detail = detail
  }
}

/// An interpretable feature the charts can show.
public struct ExploreFeature: Sendable, Equatable {
  /// Stable name, e.g. "shape.volume".
  public var name: String
  /// One line describing it (first line of its formula documentation).
  public var summary: String

  public init(name: String, summary: String = "") {
    self.name = name; self.summary = summary
  }
}

/// One of a few options the user cycles through (a noise baseline, an alignment measure).
public struct ExploreChoice: Sendable, Equatable {
  /// Stable identifier, e.g. "white", "abs".
  public var id: String
  /// What the screen shows, e.g. "white noise", "|cos|".
  public var label: String

  public init(id: String, label: String) { self.id = id; self.label = label }
}

/// Everything the explorer needs to know at start: available at once, without heavy work.
public struct ExploreOverview: Sendable {
  /// "demo" or the cohort directory.
  public var cohortName: String
  /// All patients, in cohort order. Patient numbers elsewhere are indices into this array.
  public var patients: [PatientRecord]
  /// The models, in display order (usually A then B); may be empty.
  public var models: [ExploreModel]
  public var features: [ExploreFeature]
  /// Noise baselines and alignment measures; index 0 of each is the default.
  public var baselines: [ExploreChoice]
  public var measures: [ExploreChoice]
  /// Indices of the features enabled when the explorer opens.
  public var initiallyEnabled: [Int]
  /// Problems found while opening (a model file that could not be read, say): shown once.
  public var notices: [String]

  public init(cohortName: String, patients: [PatientRecord], models: [ExploreModel],
              features: [ExploreFeature], baselines: [ExploreChoice], measures: [ExploreChoice],
              initiallyEnabled: [Int], notices: [String] = []) {
    self.cohortName = cohortName; self.patients = patients; self.models = models
    self.features = features; self.baselines = baselines; self.measures = measures
    self.initiallyEnabled = initiallyEnabled; self.notices = notices
  }
}

/// Which figures: a model, a noise baseline and an alignment measure (indices into the overview).
public struct FigureKey: Hashable, Sendable {
  public var model: Int
  public var baseline: Int
  public var measure: Int

  public init(model: Int, baseline: Int, measure: Int) {
    self.model = model; self.baseline = baseline; self.measure = measure
  }
}

/// The model-input crop of a patient in the voxel indices of `PatientImage.volume`: columns
/// x0…x1 and rows y0…y1 (inclusive; may reach outside the volume), on slices `slices`.
public struct CropBox: Sendable, Equatable {
  public var x0: Int, y0: Int, x1: Int, y1: Int
  public var slices: ClosedRange<Int>

  public init(x0: Int, y0: Int, x1: Int, y1: Int, slices: ClosedRange<Int>) {
    self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1; self.slices = slices
  }
}

/// A patient's CT and GTV mask as the slice pane shows them.
public struct PatientImage: Sendable {
  public var patient: Int
  /// HU, canonical orientation (Imaging's Grid); shown as axial slices.
  public var volume: Volume
  public var mask: Mask
  /// The slice `t` jumps to: the model's centre slice z* (largest mask area).
  public var tumourSlice: Int
  /// Where the model's 3×64×64 input came from; nil if the crop could not be made.
  public var cropBox: CropBox?

  public init(patient: Int, volume: Volume, mask: Mask, tumourSlice: Int, cropBox: CropBox?) {
    self.patient = patient; self.volume = volume; self.mask = mask
    self.tumourSlice = tumourSlice; self.cropBox = cropBox
  }
}

/// One model's output for one patient: its risk and the input gradient ∇f laid onto the slices.
public struct GradientOverlay: Sendable {
  public var patient: Int
  public var model: Int
  /// σ(logit): the predicted probability of distant metastasis.
  public var risk: Double
  public var logit: Double
  /// Per slice z of the volume (only slices of the crop): one value per voxel of that slice,
  /// [y][x], signed and scaled into [−1, 1]; NaN outside the crop (no overlay there).
  public var slices: [Int: [Float]]
  /// What 1.0 on the overlay's scale stands for (in units of ∇f), for the legend.
  public var scale: Double

  public init(patient: Int, model: Int, risk: Double, logit: Double, slices: [Int: [Float]], scale: Double) {
    self.patient = patient; self.model = model; self.risk = risk; self.logit = logit
    self.slices = slices; self.scale = scale
  }
}

/// One feature's figures for one patient under a `FigureKey`.
public struct PatientFigure: Sendable, Equatable {
  /// Alignment of ∇f with the feature's gradient under the measure; nil when undefined.
  public var alignment: Double?
  /// Mean alignment of ∇f with the baseline's noise directions; nil when undefined.
  public var noise: Double?
  /// The feature's own value (in its units), for the details line; nil when undefined.
  public var value: Double?
  /// Why the alignment is undefined (e.g. "empty mask", "zero gradient").
  public var undefinedReason: String?

  public init(alignment: Double?, noise: Double?, value: Double?, undefinedReason: String? = nil) {
    self.alignment = alignment; self.noise = noise; self.value = value
    self.undefinedReason = undefinedReason
  }
}

/// One feature's figures over a set of patients under a `FigureKey` (DESIGN §2 importance test).
public struct CohortFigure: Sendable, Equatable {
  /// Mean alignment over the patients where it is defined.
  public var mean: Double?
  /// Mean noise alignment over the same patients.
  public var noise: Double?
  /// The 95% bootstrap CI of the mean paired difference d = alignment − noise, shifted by `noise`
  /// so that it brackets `mean` on the chart's scale: significant needs ciLow > noise.
  public var ciLow: Double?
  public var ciHigh: Double?
  /// One-sided Wilcoxon signed-rank p for d > 0, before adjustment across features.
  public var p: Double?
  /// Patients with a defined alignment, and patients where it was undefined.
  public var count: Int
  public var undefined: Int

  public init(mean: Double?, noise: Double?, ciLow: Double?, ciHigh: Double?, p: Double?,
              count: Int, undefined: Int) {
    self.mean = mean; self.noise = noise; self.ciLow = ciLow; self.ciHigh = ciHigh
    self.p = p; self.count = count; self.undefined = undefined
  }
}

/// The verdict on one feature among those shown together: Holm-adjusted p and significance.
public struct CohortAssessment: Sendable, Equatable {
  public var pAdjusted: Double?
  public var significant: Bool

  public init(pAdjusted: Double?, significant: Bool) {
    self.pAdjusted = pAdjusted; self.significant = significant
  }
}

/// A patient's path along the gradient flow of a model (DESIGN §2): T steps of normalised descent,
/// x itself, T steps of normalised ascent, and every feature's value at each point.
public struct FlowPath: Sendable, Equatable {
  /// f at each point, from the end of the descent through x (at `centre`) to the end of the ascent.
  public var logits: [Double]
  /// values[feature][point]: the feature's value along the path (nil where undefined).
  public var values: [[Double?]]
  /// Index of x itself.
  public var centre: Int
  /// η, the length of each step in input units.
  public var stepSize: Double

  public init(logits: [Double], values: [[Double?]], centre: Int, stepSize: Double) {
    self.logits = logits; self.values = values; self.centre = centre; self.stepSize = stepSize
  }
}

/// A way to ask long work to stop early. Providers check it between patients.
public final class CancelFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var cancelled = false
  public init() {}
  public var isCancelled: Bool { lock.withLock { cancelled } }
  public func cancel() { lock.withLock { cancelled = true } }
}

/// What the explorer shows, computed on demand. See the file header for the threading contract.
public protocol ExplorerData: AnyObject, Sendable {
  /// Cohort, models, features and choices; cheap, available at once.
  var overview: ExploreOverview { get }

  /// Loads the CT and GTV mask of `patient` (file reading or generation: up to ~100 ms).
  func image(of patient: Int) throws(ExploreProblem) -> PatientImage

  /// Model `model`'s risk and input gradient for `patient`.
  func gradient(of patient: Int, model: Int) throws(ExploreProblem) -> GradientOverlay

  /// Model `model`'s risk σ(logit) for each of `patients`, in order (batched; may use every core).
  /// Stops early when `cancel` is set: the result is then a prefix of the request.
  func risks(of patients: [Int], model: Int, cancel: CancelFlag) -> [Result<Double, ExploreProblem>]

  /// ROC AUC of model `model` over `patients` (from cached risks; nil with a single class).
  func auc(of patients: [Int], model: Int, cancel: CancelFlag) -> Double?

  /// Every feature's figures (indexed like `overview.features`) for each of `patients` under `key`.
  /// Stops early when `cancel` is set: the result is then a prefix of the request.
  func figures(of patients: [Int], key: FigureKey, cancel: CancelFlag)
    -> [Result<[PatientFigure], ExploreProblem>]

  /// Every feature's cohort figures over `patients` under `key` (indexed like
  /// `overview.features`). Nil when cancelled.
  func cohort(of patients: [Int], key: FigureKey, cancel: CancelFlag)
    throws(ExploreProblem) -> [CohortFigure]?

  /// The path of `patient` along model `model`'s gradient flow with every feature's value on it
  /// (for the sparklines). Nil when cancelled.
  func flow(of patient: Int, model: Int, cancel: CancelFlag) throws(ExploreProblem) -> FlowPath?

  /// Holm adjustment and significance for the features shown together (same order as given;
  /// nil entries stand for features whose cohort figures are not known). Pure and cheap: the
  /// explorer calls it on the UI thread whenever the enabled features change.
  func assess(_ figures: [CohortFigure?]) -> [CohortAssessment?]
}
