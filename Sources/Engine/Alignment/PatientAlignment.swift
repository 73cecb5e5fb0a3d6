// PatientAlignment: what the analysis finds for one patient and one model: per feature, the
// value, the alignment, the mean noise alignment, and why any of them is undefined.

/// One feature on one patient for one model.
public struct FeatureAlignment: Sendable, Equatable, Codable {
  public var feature: String
  /// g_k(x) at the patient's input; nil when the feature is undefined there.
  public var value: Double?
  /// The measure (|cos|, cos², or the flow mean of |cos|); nil when undefined.
  public var alignment: Double?
  /// The same measure averaged over the J noise draws (and the same path points); nil exactly
  /// when `alignment` is.
  public var noiseAlignment: Double?
  /// Path points whose alignment was defined (1 pointwise; up to 2T + 1 along the flow).
  public var pointsUsed: Int
  /// Why the value or alignment is undefined (the first reason met, at x when it is x's).
  public var undefinedReason: String?

  public init(feature: String, value: Double?, alignment: Double?, noiseAlignment: Double?,
              pointsUsed: Int, undefinedReason: String?) {
    self.feature = feature
    self.value = value
    self.alignment = alignment
    self.noiseAlignment = noiseAlignment
    self.pointsUsed = pointsUsed
    self.undefinedReason = undefinedReason
  }

  /// d = alignment − noise alignment, the paired difference of the importance test.
  public var difference: Double? {
    guard let alignment, let noiseAlignment else { return nil }
    return alignment - noiseAlignment
  }
}

/// All features on one patient for one model.
public struct PatientAlignment: Sendable, Equatable, Codable {
  /// f(x), when the model was run (nil when only its gradient was given).
  public var logit: Float?
  /// ‖∇f(x)‖.
  public var gradientNorm: Double
  /// In the order of the analyzer's features.
  public var features: [FeatureAlignment]
  /// The white or smooth baseline's noise alignment, whatever the feature: the mean over the draws
  /// (and over the path points where ∇f is defined). Features report the same figure over their
  /// own defined points. Nil for the matched baseline (its noise is per feature) and where ∇f = 0.
  public var noiseAlignment: Double?

  public init(logit: Float?, gradientNorm: Double, features: [FeatureAlignment], noiseAlignment: Double? = nil) {
    self.logit = logit
    self.gradientNorm = gradientNorm
    self.features = features
    self.noiseAlignment = noiseAlignment
  }
}
