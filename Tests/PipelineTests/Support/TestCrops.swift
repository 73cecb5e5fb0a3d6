// Hand-built crops for the Pipeline tests: a bright irregular blob (the "tumour") on a darker,
// noisy background, on all three slices, with its mask; and analysis inputs made of them.

import Foundation
import Common
import Engine
import Imaging
import Pipeline

enum TestCrops {
  /// A crop with a blob of radius `radius` px (with a 5-lobed wobble) centred at (31.5 + dy, 31.5 + dx).
  static func crop(radius: Double, dx: Double = 0, dy: Double = 0, noise: Double = 0.03, seed: UInt64) -> (x: [Float], mask: [Float]) {
    var random = SeededRandom(seed: seed)
    var x = [Float](repeating: 0, count: FeatureInput.count), mask = x
    for c in 0..<3 {
      let r = radius * (c == 1 ? 1 : 0.85)
      for y in 0..<64 {
        for col in 0..<64 {
          let ry = Double(y) - 31.5 - dy, rx = Double(col) - 31.5 - dx
          let inside = (ry * ry + rx * rx).squareRoot() < r * (1 + 0.12 * sin(5 * atan2(ry, rx)))
          let i = FeatureInput.index(c: c, y: y, x: col)
          mask[i] = inside ? 1 : 0
          x[i] = Float((inside ? 0.4 : 0.05) + noise * random.normal())
        }
      }
    }
    return (x, mask)
  }

  /// `count` patients with radii spread over 6…14 px; label 1 for the larger half; ids P0, P1, …
  static func inputs(count: Int, origin: AnalysisInputs.Origin = .cohort, seed: UInt64 = 1) -> AnalysisInputs {
    let samples = (0..<count).map { i -> AnalysisSample in
      let radius = 6 + 8 * Double(i) / Double(max(1, count - 1))
      let (x, mask) = crop(radius: radius, dx: Double(i % 3) - 1, dy: Double(i % 2), seed: seed &+ UInt64(i))
      return AnalysisSample(id: "P\(i)", label: radius > 10 ? 1 : 0, split: [.train, .val, .test][i % 3],
                            x: x, mask: mask, sliceThickness: 3)
    }
    return AnalysisInputs(origin: origin, source: "hand-built", selection: .all, samples: samples)
  }

  /// A gradient oracle f(x) = g(x) for a catalogue feature g (∇f = ∇g), 0 where g is undefined.
  static func featureModel(_ name: String) -> GradientFunction {
    guard let feature = FeatureCatalog.named(name) else { preconditionFailure("no feature \(name)") }
    return GradientFunction { x in
      // The mask is not part of the model's input: take it from the sample's bright region.
      let mask = x.map { $0 > 0.225 ? Float(1) : 0 }
      switch feature.evaluate(FeatureInput(x: x, mask: mask, sliceThickness: 3)) {
      case .defined(let value, let gradient): return (Float(value), gradient)
      case .undefined: return (0, [Float](repeating: 0, count: FeatureInput.count))
      }
    }
  }

  /// The linear model f(x) = ⟨w, x⟩.
  static func linearModel(_ w: [Float]) -> GradientFunction {
    GradientFunction { x in (Float(zip(w, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }), w) }
  }
}
