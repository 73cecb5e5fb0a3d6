// FeatureCatalog: the one visible list of fgf's interpretable features (DESIGN §5), under the
// stable names used on the command line, in files and in the explorer. Each entry points at the
// function that computes it; the formulas repeat those functions' doc comments.

/// All features, and lookup by name.
public enum FeatureCatalog {
  /// Every feature, in display order.
  public static let all: [FeatureDefinition] = [
    FeatureDefinition(
      name: "intensity.mean", family: .intensity, unit: "x",
      summary: "mean intensity inside the mask",
      formula: "μ = Σ M x / N_M", compute: IntensityFeatures.mean),
    FeatureDefinition(
      name: "intensity.std", family: .intensity, unit: "x",
      summary: "standard deviation of intensity inside the mask (heterogeneity)",
      formula: "σ = sqrt(Σ M (x − μ)² / N_M)", compute: IntensityFeatures.standardDeviation),
    FeatureDefinition(
      name: "intensity.skewness", family: .intensity, unit: "1",
      summary: "asymmetry of the intensity histogram inside the mask",
      formula: "Σ M (x − μ)³ / (N_M σ³)", compute: IntensityFeatures.skewness),
    FeatureDefinition(
      name: "intensity.kurtosis", family: .intensity, unit: "1",
      summary: "tailedness of the intensity histogram inside the mask (3 for a Gaussian)",
      formula: "Σ M (x − μ)⁴ / (N_M σ⁴)", compute: IntensityFeatures.kurtosis),
    FeatureDefinition(
      name: "texture.contrast", family: .texture, unit: "x²",
      summary: "mean squared difference of 4-neighbouring voxels inside the mask",
      formula: "Σ (x_p − x_q)² / P over in-plane 4-neighbour pairs (p, q) both in M, each once, all channels",
      compute: TextureFeatures.contrast),
    FeatureDefinition(
      name: "shape.volume", family: .shape, unit: "mm³",
      summary: "soft tumour volume over the three slices",
      formula: "s_z Σ s, s = sigmoid(p (x − t) / 0.1) on M ∪ R (R: 7×7 in-plane dilation of M minus M; "
        + "t = (mean_M x + mean_R x)/2, p = sign(mean_M x − mean_R x), held constant)",
      compute: ShapeFeatures.volume),
    FeatureDefinition(
      name: "shape.area", family: .shape, unit: "mm²",
      summary: "soft tumour area on the centre slice",
      formula: "Σ s over the centre channel", compute: ShapeFeatures.area),
    FeatureDefinition(
      name: "shape.perimeter", family: .shape, unit: "mm",
      summary: "length of the soft tumour outline on the centre slice",
      formula: "Σ (sqrt(gx² + gy² + 10⁻⁶) − 10⁻³) over the centre channel, gx, gy forward differences of s",
      compute: ShapeFeatures.perimeter),
    FeatureDefinition(
      name: "shape.circularity", family: .shape, unit: "1",
      summary: "how round the outline is on the centre slice",
      formula: "4π area / perimeter²", compute: ShapeFeatures.circularity),
    FeatureDefinition(
      name: "shape.elongation", family: .shape, unit: "1",
      summary: "minor over major axis of the soft tumour on the centre slice (1 round, → 0 a line)",
      formula: "sqrt(λ_minor / λ_major) of the s-weighted covariance of pixel coordinates (mm), centre channel",
      compute: ShapeFeatures.elongation),
    FeatureDefinition(
      name: "position.x", family: .position, unit: "mm",
      summary: "left–right offset of the tumour from the crop centre (negative control)",
      formula: "Σ s (col − 32) / Σ s over the centre channel", compute: PositionFeatures.x),
    FeatureDefinition(
      name: "position.y", family: .position, unit: "mm",
      summary: "anterior–posterior offset of the tumour from the crop centre (negative control)",
      formula: "Σ s (row − 32) / Σ s over the centre channel", compute: PositionFeatures.y),
  ]

  /// All feature names, in display order.
  public static var names: [String] { all.map(\.name) }

  /// The feature called `name`, or nil.
  public static func named(_ name: String) -> FeatureDefinition? {
    all.first { $0.name == name }
  }

  /// The features called `names`, in the order given; throws naming the unknown ones and listing
  /// the known ones (for `--features a,b,…`). A family name ("shape") selects its whole family.
  public static func select(_ names: [String]) throws(UnknownFeatureError) -> [FeatureDefinition] {
    var chosen: [FeatureDefinition] = []
    var unknown: [String] = []
    for name in names {
      if let feature = named(name) {
        if !chosen.contains(where: { $0.name == feature.name }) { chosen.append(feature) }
      } else if let family = FeatureFamily(rawValue: name) {
        for feature in all where feature.family == family && !chosen.contains(where: { $0.name == feature.name }) {
          chosen.append(feature)
        }
      } else {
        unknown.append(name)
      }
    }
    guard unknown.isEmpty else { throw UnknownFeatureError(unknown: unknown) }
    return chosen
  }

  /// Evaluates `features` on one input, sharing their intermediates (the soft occupancy is built
  /// once). Results are in the order of `features`.
  public static func evaluate(_ features: [FeatureDefinition], on input: FeatureInput) -> [FeatureValue] {
    let context = FeatureContext(input: input)
    return features.map { $0.compute(context).featureValue }
  }
}

/// Feature names that are not in the catalogue.
public struct UnknownFeatureError: Error, Sendable, Equatable, CustomStringConvertible {
  public var unknown: [String]
  public init(unknown: [String]) { self.unknown = unknown }
  public var description: String {
    "unknown feature\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")) "
      + "(known: \(FeatureCatalog.names.joined(separator: ", ")); or a family: "
      + "\(FeatureFamily.allCases.map(\.rawValue).joined(separator: ", ")))"
  }
}
