// DemoModels: the two models shipped in Assets/ — A, trained on the demo cohort without the
// penalty, and B, trained the same way with the alignment penalty on a feature set S — and how to
// load them. The commands that made them are in README "The demo models"; the model files' own
// metadata (fgf.training) records every setting, and the tests check it against the recipe here.

import Common
import Engine

public enum DemoModels {
  public static let fileA = "model-A.safetensors"
  public static let fileB = "model-B.safetensors"

  /// The recipe (README "The demo models" and Assets/train-demo-models.sh give the commands).
  /// Both: Adam, batch 32, flips and ±4 px shifts, seed `seed`, the epoch with the best
  /// validation AUC kept. A: a new FGF-CNN (SiLU) from `seed`, `epochsA` epochs at
  /// `learningRateA`, no penalty. B: continues from A's file for `epochsB` epochs at
  /// `learningRateB` with penalty λ = `lambdaB` on S = `featuresB`, among epochs at or above
  /// `minimumAlignmentGainB` × A's validation alignment on S. A's settings were chosen on the
  /// validation split, B's on development cohorts from the generator (Docs/DECISIONS.md).
  public static let seed: UInt64 = 2
  public static let learningRateA = 5e-3
  public static let learningRateB = 5e-3
  public static let epochsA = 120
  public static let epochsB = 30
  public static let lambdaB = 10.0
  /// B keeps the best validation AUC among epochs whose validation alignment on S is at least this
  /// multiple of A's (`fgf train --min-alignment-gain`).
  public static let minimumAlignmentGainB = 1.5
  public static let featuresB = ["shape.volume", "shape.circularity", "texture.contrast"]

  /// Assets' model A and B, labelled "A" and "B".
  public static func load() throws(FileError) -> [AnalysisModel] {
    var models: [AnalysisModel] = []
    for (label, file) in [("A", fileA), ("B", fileB)] {
      let path = AssetLocator.path(file)
      models.append(AnalysisModel(label: label, path: path, model: try Model.load(path)))
    }
    return models
  }
}
