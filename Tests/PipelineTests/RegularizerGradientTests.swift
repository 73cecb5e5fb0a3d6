// The regularized loss of `fgf train` through the real features: directions are the gradients
// of shape.volume, shape.circularity and texture.contrast on real synthetic crops, made by
// Pipeline's TrainingData exactly as training makes them, and the engine's exact parameter
// gradient of BCE_w + λ·mean(1 − ‖P_S ∇ₓf‖²/‖∇ₓf‖²) is compared with central finite differences
// of an independent Double oracle (TinyReferenceNetwork for f and ∇ₓf; ‖P_S u‖² from the
// inverted Gram matrix of the directions, not Gram–Schmidt).
// Tolerance: |engine − oracle| ≤ 1e-3·max|oracle| (the engine runs in float32); the measured
// maximum is printed.

import Testing
import Foundation
import Common
import Engine
import Imaging
import Pipeline

@Suite struct RegularizerGradientTests {
  static let features = ["shape.volume", "shape.circularity", "texture.contrast"]

  /// ‖P u‖² = cᵀ G⁻¹ c with c = Dᵀu and G = DᵀD, by Gauss–Jordan elimination in Double.
  static func projectedSquaredNorm(_ u: [Double], directions: [[Double]]) -> Double {
    let k = directions.count
    var gram = (0..<k).map { a in (0..<k).map { b in zip(directions[a], directions[b]).reduce(0) { $0 + $1.0 * $1.1 } } }
    var c = directions.map { d in zip(d, u).reduce(0) { $0 + $1.0 * $1.1 } }
    let original = c
    // Solve G z = c; then ‖P u‖² = cᵀ z.
    for col in 0..<k {
      let pivot = (col..<k).max { abs(gram[$0][col]) < abs(gram[$1][col]) } ?? col
      gram.swapAt(col, pivot); c.swapAt(col, pivot)
      for row in 0..<k where row != col {
        let factor = gram[row][col] / gram[col][col]
        for j in 0..<k { gram[row][j] -= factor * gram[col][j] }
        c[row] -= factor * c[col]
      }
    }
    let z = (0..<k).map { c[$0] / gram[$0][$0] }
    return zip(original, z).reduce(0) { $0 + $1.0 * $1.1 }
  }

  static func oracleLoss(_ theta: [Double], samples: [TrainingSample], lambda: Double, weight: Double) -> Double {
    var total = 0.0
    for sample in samples {
      let (f, u) = TinyReferenceNetwork.logitAndGradient(theta, x: sample.x.map(Double.init))
      total += BinaryCrossEntropy.loss(logit: f, label: sample.label, positiveWeight: weight)
      guard !sample.directions.isEmpty else { continue }
      let uu = u.reduce(0) { $0 + $1 * $1 }
      total += lambda * (1 - projectedSquaredNorm(u, directions: sample.directions.map { $0.map(Double.init) }) / uu)
    }
    return total / Double(samples.count)
  }

  @Test func parameterGradientThroughRealFeaturesMatchesFiniteDifferences() throws {
    let cohort = SyntheticCohort(patients: 3, seed: 41)
    let crops = CropStore(cohort: cohort, diskCache: false)
    let inputs = try #require(try AnalysisInputs.load(crops: crops, selection: .all))
    let features = try FeatureCatalog.select(Self.features)
    var data = try TrainingData.prepare(inputs, features: features)
    let samples = data.train + data.validation + data.test
    #expect(samples.allSatisfy { $0.directions.count == 3 })
    data.train = samples
    let model = try Model(architecture: TinyReferenceNetwork.architecture, seed: 9)
    // Scale the weights up so that ∇ₓf is far from any direction and the penalty is sizeable.
    model.parameters = model.parameters.map { $0 * 3 }
    let lambda = 0.8, weight = data.positiveWeight
    let labels = samples.map(\.label)
    let engine = model.lossAndGradients(x: samples.flatMap(\.x), labels: labels, count: samples.count, positiveWeight: weight,
                                        lambda: lambda, directions: samples.map(\.directions), threads: 2)
    #expect(engine.penaltySkipped == 0)

    let theta = model.parameters.map(Double.init)
    let loss = Self.oracleLoss(theta, samples: samples, lambda: lambda, weight: weight)
    #expect(abs(engine.loss - loss) <= 1e-4 * abs(loss), "loss \(engine.loss) vs oracle \(loss)")
    let h = 1e-4
    let fd = theta.indices.map { j -> Double in
      var plus = theta, minus = theta
      plus[j] += h; minus[j] -= h
      return (Self.oracleLoss(plus, samples: samples, lambda: lambda, weight: weight)
        - Self.oracleLoss(minus, samples: samples, lambda: lambda, weight: weight)) / (2 * h)
    }
    let scale = fd.map(abs).max() ?? 0
    let difference = zip(engine.gradients, fd).map { abs(Double($0) - $1) }.max() ?? .infinity
    // The penalty's share, so that a wrong second-order term could not hide under the BCE part.
    let plain = model.lossAndGradients(x: samples.flatMap(\.x), labels: labels, count: samples.count, positiveWeight: weight, threads: 1)
    let penaltyScale = zip(engine.gradients, plain.gradients).map { abs(Double($0 - $1)) }.max() ?? 0
    print("regularizer through real features: max |Δ| \(difference) over \(theta.count) parameters "
      + "(scale \(scale), penalty part \(penaltyScale), penalty \(engine.penalty))")
    #expect(penaltyScale > 0.05 * scale)
    #expect(difference <= 1e-3 * scale)
  }
}
