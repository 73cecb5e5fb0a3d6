// The feature catalogue documents itself and every feature has a reference value: on the hand-built
// reference input (values from an independent numpy/scipy implementation, the script below) and, for
// the simplest cases, values worked out by hand.
import Testing
import Engine
import Glibc

@Suite struct FeatureCatalogTests {
  /// Reference values on `FeatureTestInputs.reference(sliceThickness: 3)`, computed in float64 by
  /// the numpy/scipy script at the end of this file (scipy.ndimage.binary_dilation for the ring,
  /// numpy.linalg.eigvalsh for the covariance): an implementation independent of fgf's.
  static let referenceValues: [String: Double] = [
    "intensity.mean": 0.4246848723968538,
    "intensity.std": 0.07900646979268154,
    "intensity.skewness": 0.0027804103943448676,
    "intensity.kurtosis": 1.7687050256595915,
    "texture.contrast": 0.017016032345929428,
    "shape.volume": 739.5967506005459,
    "shape.area": 102.70262732077502,
    "shape.perimeter": 54.1742780318384,
    "shape.circularity": 0.43974929637419863,
    "shape.elongation": 0.7972036575098287,
    "position.x": -0.9710589957556416,
    "position.y": -0.30831714751762035,
  ]

  @Test func everyFeatureIsDocumentedUnderAUniqueStableName() {
    let names = FeatureCatalog.names
    #expect(Set(names).count == names.count)
    #expect(names.count == 12)
    for feature in FeatureCatalog.all {
      #expect(feature.name.hasPrefix(feature.family.rawValue + "."), "\(feature.name)")
      #expect(!feature.summary.isEmpty && !feature.formula.isEmpty && !feature.unit.isEmpty, "\(feature.name)")
      #expect(FeatureCatalog.named(feature.name)?.name == feature.name)
    }
  }

  @Test func everyFeatureMatchesItsIndependentReferenceValue() {
    let values = FeatureCatalog.evaluate(FeatureCatalog.all, on: FeatureTestInputs.reference())
    var worst = 0.0
    for (feature, value) in zip(FeatureCatalog.all, values) {
      guard let expected = Self.referenceValues[feature.name] else {
        Issue.record("\(feature.name) has no reference value")
        continue
      }
      guard let got = value.value else {
        Issue.record("\(feature.name) undefined: \(value.undefinedReason ?? "")")
        continue
      }
      let relative = abs(got - expected) / max(abs(expected), 1e-3)
      worst = max(worst, relative)
      #expect(relative < 1e-10, "\(feature.name): \(got) vs \(expected)")
    }
    print("catalogue vs numpy reference: max relative difference \(worst) (tolerance 1e-10)")
  }

  @Test func singleEvaluationEqualsSharedEvaluation() {
    let input = FeatureTestInputs.random(seed: 5)
    let shared = FeatureCatalog.evaluate(FeatureCatalog.all, on: input)
    for (feature, value) in zip(FeatureCatalog.all, shared) {
      #expect(feature.evaluate(input) == value, "\(feature.name)")
    }
  }

  /// A 2×2 mask on the centre slice with x = 0, 0, 0, 1: a Bernoulli(¼) sample. By hand:
  /// μ = ¼, σ² = ¼·¾ = 3/16, skewness (1 − 2p)/sqrt(p(1 − p)) = 2/√3, kurtosis (1 − 3p(1 − p))/(p(1 − p))
  /// = 7/3; the 4 neighbour pairs differ by 0, 1, 0, 1, so contrast = 2/4.
  @Test func intensityAndContrastByHand() {
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    FeatureTestInputs.fill(&mask, c: 1, rows: 40...41, columns: 10...11)
    var x = [Float](repeating: -0.5, count: FeatureInput.count)
    for i in 0..<x.count where mask[i] > 0 { x[i] = 0 }
    x[FeatureInput.index(c: 1, y: 41, x: 11)] = 1
    let input = FeatureInput(x: x, mask: mask)
    let expected: [String: Double] = [
      "intensity.mean": 0.25, "intensity.std": (3.0 / 16).squareRoot(),
      "intensity.skewness": 2 / 3.0.squareRoot(), "intensity.kurtosis": 7.0 / 3, "texture.contrast": 0.5,
    ]
    for (name, value) in expected {
      let got = FeatureCatalog.named(name)?.evaluate(input).value
      #expect(got.map { abs($0 - value) < 1e-12 } == true, "\(name): \(String(describing: got)) vs \(value)")
    }
  }

  /// The bright 8×8 square: s = σ(10) on its 192 voxels and σ(−10) on the 3·(14² − 64) = 396 of its
  /// ring, so volume = s_z (192 σ(10) + 396 σ(−10)) and area = 64 σ(10) + 132 σ(−10); it is
  /// symmetric about row and column 31.5, so the position is (−0.5, −0.5) mm.
  @Test func shapeAndPositionByHand() {
    let input = FeatureTestInputs.brightSquare(sliceThickness: 3)
    let inside = 1 / (1 + exp(-10.0)), ring = 1 / (1 + exp(10.0))
    let expected: [String: Double] = [
      "shape.volume": 3 * (192 * inside + 396 * ring), "shape.area": 64 * inside + 132 * ring,
      "position.x": -0.5, "position.y": -0.5, "texture.contrast": 0,
    ]
    for (name, value) in expected {
      let got = FeatureCatalog.named(name)?.evaluate(input).value
      #expect(got.map { abs($0 - value) < 1e-9 } == true, "\(name): \(String(describing: got)) vs \(value)")
    }
  }

  @Test func selectionByNameAndFamily() throws {
    let chosen = try FeatureCatalog.select(["shape.volume", "texture", "shape.volume"])
    #expect(chosen.map(\.name) == ["shape.volume", "texture.contrast"])
    #expect(try FeatureCatalog.select(["position"]).map(\.name) == ["position.x", "position.y"])
    #expect(throws: UnknownFeatureError(unknown: ["shape.volum", "colour"])) {
      try FeatureCatalog.select(["shape.volum", "colour"])
    }
    #expect(UnknownFeatureError(unknown: ["a"]).description.contains("shape.volume"))
  }
}

/*
 The script that produced `referenceValues` (python3, numpy 2.4.6, scipy 1.17.1):

 import numpy as np
 from scipy import ndimage
 x = np.zeros((3, 64, 64)); m = np.zeros((3, 64, 64))
 for c, (r0, r1, c0, c1) in {0: (28, 35, 28, 33), 1: (26, 37, 27, 34), 2: (27, 36, 27, 35)}.items():
     m[c, r0:r1+1, c0:c1+1] = 1
 m[1, 30:34, 35:37] = 1; m[1, 26:28, 27:29] = 0
 for c in range(3):
     for r in range(64):
         for q in range(64):
             k = (3*r + 5*q + 7*c) % 11 + 12 if m[c, r, q] else (r*q + c) % 7 - 10
             x[c, r, q] = np.float32(k / 40.0)
 M = m > 0.5; v = x[M]; mu = v.mean(); d = v - mu; sd = np.sqrt((d**2).mean())
 mean, std, skew, kurt = mu, sd, (d**3).mean() / sd**3, (d**4).mean() / sd**4
 h = M[:, :, :-1] & M[:, :, 1:]; w = M[:, :-1, :] & M[:, 1:, :]
 contrast = ((((x[:, :, :-1] - x[:, :, 1:])**2)[h].sum() + ((x[:, :-1, :] - x[:, 1:, :])**2)[w].sum())
             / (h.sum() + w.sum()))
 st = np.zeros((1, 7, 7), bool); st[0] = True
 R = ndimage.binary_dilation(M, structure=st) & ~M
 t = (x[M].mean() + x[R].mean()) / 2; p = 1.0 if x[M].mean() >= x[R].mean() else -1.0
 s = np.where(M | R, 1 / (1 + np.exp(-p * (x - t) / 0.1)), 0.0); c = s[1]
 volume = s.sum() * 3.0; area = c.sum()
 gx = np.zeros_like(c); gy = np.zeros_like(c)
 gx[:, :-1] = c[:, 1:] - c[:, :-1]; gy[:-1, :] = c[1:, :] - c[:-1, :]
 perimeter = (np.sqrt(gx**2 + gy**2 + 1e-6) - 1e-3).sum(); circularity = 4 * np.pi * area / perimeter**2
 rows, cols = np.mgrid[0:64, 0:64].astype(float); W = c.sum()
 cx = (c * cols).sum() / W; cy = (c * rows).sum() / W
 C = np.array([[(c*(cols-cx)**2).sum(), (c*(cols-cx)*(rows-cy)).sum()],
               [(c*(cols-cx)*(rows-cy)).sum(), (c*(rows-cy)**2).sum()]]) / W
 lam = np.linalg.eigvalsh(C); elongation = np.sqrt(lam[0] / lam[1])
 position_x = (c * (cols - 32)).sum() / W; position_y = (c * (rows - 32)).sum() / W
*/
