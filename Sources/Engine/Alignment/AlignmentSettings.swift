// AlignmentSettings: how a feature's alignment with a model is measured (DESIGN §2): the measure,
// the flow's steps, and the noise baseline it is compared with.

/// The alignment measure.
public enum AlignmentMeasure: String, Sendable, CaseIterable, Codable {
  /// |cos| = |⟨∇f, ∇g⟩| / (‖∇f‖ ‖∇g‖) at x, in [0, 1].
  case abs
  /// cos² at x, in [0, 1].
  case sq
  /// |cos| averaged over the 2T + 1 points of the gradient flow of f through x: T steps of
  /// normalised ascent x ← x + η ∇f/‖∇f‖ and T of descent from x.
  case flow
}

/// Everything that decides an alignment figure besides the model, the input and the feature.
public struct AlignmentSettings: Sendable, Equatable, Codable {
  public var measure: AlignmentMeasure
  public var baseline: NoiseBaseline
  /// T, steps each way along the flow.
  public var flowSteps: Int
  /// η, length of each flow step in input units (x spans [−1, 1]).
  public var flowStepSize: Double
  /// J, noise draws.
  public var noiseDraws: Int
  /// Seed of the noise draws.
  public var noiseSeed: UInt64

  public init(measure: AlignmentMeasure = .abs, baseline: NoiseBaseline = .white,
              flowSteps: Int = 8, flowStepSize: Double = 0.05,
              noiseDraws: Int = NoiseBank.defaultDraws, noiseSeed: UInt64 = NoiseBank.defaultSeed) {
    precondition(flowSteps >= 0 && flowStepSize.isFinite && flowStepSize > 0, "flow needs T ≥ 0 and η > 0")
    precondition(noiseDraws > 0, "a noise baseline needs at least one draw")
    self.measure = measure
    self.baseline = baseline
    self.flowSteps = flowSteps
    self.flowStepSize = flowStepSize
    self.noiseDraws = noiseDraws
    self.noiseSeed = noiseSeed
  }

  /// Points of the path each alignment averages over: 1 pointwise, 2T + 1 for the flow.
  public var pathPoints: Int { measure == .flow ? 2 * flowSteps + 1 : 1 }
}
