// FeatureDefinition: one interpretable feature as the rest of fgf sees it: a stable name, its
// family, unit, a one-line summary, the formula (shown in help and the explorer), and how to
// evaluate it. The catalogue's features are in FeatureCatalog.all; tests may build their own.

/// The families of DESIGN §5, one type each (IntensityFeatures, TextureFeatures, ShapeFeatures,
/// PositionFeatures).
public enum FeatureFamily: String, Sendable, CaseIterable, Codable {
  case intensity, texture, shape, position
}

/// An interpretable feature g(x) with its exact gradient.
public struct FeatureDefinition: Sendable {
  /// Stable name, "family.feature" (e.g. "shape.volume"); used on the command line and in files.
  public let name: String
  public let family: FeatureFamily
  /// Unit of the value ("mm³", "mm", "x" for input units, "1" for dimensionless).
  public let unit: String
  /// What it measures, in one line.
  public let summary: String
  /// The formula, as in DESIGN §5.
  public let formula: String
  let compute: @Sendable (FeatureContext) -> FeatureResult

  /// A feature from any function of the input (for tests and experiments; the catalogue's
  /// features share intermediates through an internal context instead).
  public init(name: String, family: FeatureFamily, unit: String, summary: String, formula: String,
              evaluate: @escaping @Sendable (FeatureInput) -> FeatureValue) {
    self.init(name: name, family: family, unit: unit, summary: summary, formula: formula) { context in
      switch evaluate(context.input) {
      case .defined(let value, let gradient): return .defined(value: value, gradient: gradient.map { Double($0) })
      case .undefined(let reason): return .undefined(reason: reason)
      }
    }
  }

  package init(name: String, family: FeatureFamily, unit: String, summary: String, formula: String,
               compute: @escaping @Sendable (FeatureContext) -> FeatureResult) {
    self.name = name
    self.family = family
    self.unit = unit
    self.summary = summary
    self.formula = formula
    self.compute = compute
  }

  /// g(x) and ∇ₓg on one input (to evaluate several features on one input, use
  /// `FeatureCatalog.evaluate(_:on:)`, which shares their intermediates).
  public func evaluate(_ input: FeatureInput) -> FeatureValue {
    compute(FeatureContext(input: input)).featureValue
  }

  /// Value and gradient in Double on x given in Double, optionally with the occupancy constants t
  /// and p held fixed: the finite-difference oracle of the gradient tests.
  package func evaluateInDouble(x: [Double], mask: [Float], sliceThickness: Double,
                                occupancyConstants: OccupancyConstants? = nil) -> FeatureResult {
    compute(FeatureContext(x: x, mask: mask, sliceThickness: sliceThickness,
                           frozenOccupancyConstants: occupancyConstants))
  }
}
