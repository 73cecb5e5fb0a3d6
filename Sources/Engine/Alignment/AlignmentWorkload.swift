// AlignmentWorkload: a fixed, representative per-patient analysis for the benchmark command: one
// patient, every catalogue feature, two models whose gradients are given, white baseline, |cos|.
// This is the explorer's update when the current patient changes; the target is well under 20 ms.

import Common
import Glibc

/// One patient's analysis, ready to run repeatedly.
public struct AlignmentWorkload: Sendable {
  public let input: FeatureInput
  /// Two stand-in model gradients (dense and smooth, like a CNN's).
  public let gradients: [[Float]]
  public let analyzer: AlignmentAnalyzer

  /// Builds the input (an irregular 24 × 16 mm tumour with texture on soft tissue, on all three
  /// slices) and the gradients from `seed`, and builds the noise bank so `run()` times only the analysis.
  public init(seed: UInt64 = 1) {
    var random = SeededRandom(seed: seed)
    var x = [Float](repeating: 0, count: FeatureInput.count)
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    for c in 0..<FeatureInput.channels {
      let radiusX = 12.0 - 2 * Double(abs(c - 1)), radiusY = 8.0 - Double(abs(c - 1))
      for y in 0..<FeatureInput.side {
        for col in 0..<FeatureInput.side {
          let i = FeatureInput.index(c: c, y: y, x: col)
          let dx = (Double(col) - 31.5) / radiusX, dy = (Double(y) - 30.5) / radiusY
          let angle = atan2(dy, dx)
          let inside = dx * dx + dy * dy < pow(1 + 0.15 * sin(5 * angle), 2)
          mask[i] = inside ? 1 : 0
          x[i] = Float((inside ? 0.35 : 0.05) + 0.08 * random.normal())
        }
      }
    }
    input = FeatureInput(x: x, mask: mask, sliceThickness: 3)
    gradients = (0..<2).map { _ in
      GaussianBlur.blurInPlane((0..<FeatureInput.count).map { _ in Float(random.normal()) }, sigma: 1.5)
    }
    analyzer = AlignmentAnalyzer(features: FeatureCatalog.all, settings: AlignmentSettings(measure: .abs, baseline: .white))
  }

  /// The timed work: all features at x and their alignments and white-noise alignments for both models.
  public func run() -> [PatientAlignment] {
    analyzer.analyze(input, gradients: gradients)
  }
}
