// FeatureValue: the result of one feature on one patient: its value and exact gradient with
// respect to x, or the reason it is undefined there (never a silent 0).

/// A feature evaluated at one input.
public enum FeatureValue: Sendable, Equatable {
  /// The value g(x) and the gradient ∇ₓg, 3×64×64 flat ([c][y][x]) like x.
  case defined(value: Double, gradient: [Float])
  /// The feature has no value (or no gradient) here, e.g. "empty mask", "zero variance".
  case undefined(reason: String)

  /// The value, or nil when undefined.
  public var value: Double? {
    if case .defined(let value, _) = self { return value }
    return nil
  }

  /// The gradient, or nil when undefined.
  public var gradient: [Float]? {
    if case .defined(_, let gradient) = self { return gradient }
    return nil
  }

  /// Why the feature is undefined, or nil when it is defined.
  public var undefinedReason: String? {
    if case .undefined(let reason) = self { return reason }
    return nil
  }
}

/// A feature's value and gradient in Double, as the implementations compute them. Package-level so
/// the gradient tests can compare with central finite differences evaluated in Double.
package enum FeatureResult {
  case defined(value: Double, gradient: [Double])
  case undefined(reason: String)

  /// The public value: gradient rounded to Float.
  var featureValue: FeatureValue {
    switch self {
    case .defined(let value, let gradient):
      return .defined(value: value, gradient: gradient.map { Float($0) })
    case .undefined(let reason):
      return .undefined(reason: reason)
    }
  }
}
