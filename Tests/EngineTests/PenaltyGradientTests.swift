// The regularized loss L(θ) = mean BCE_w + λ·mean(1 − ‖P ∇ₓf‖²/‖∇ₓf‖²) and its exact parameter
// gradient (double backpropagation) against central finite differences of the Double oracle,
// where the oracle's ∇ₓf is exact (dual numbers). Samples exercise several directions, a zero
// and a dependent direction (dropped), and a sample without directions (contributes 0).
// Tolerance: |engine − oracle| ≤ 3e-4·max|oracle| + 1e-7; the measured maximum is printed.

import Testing
import Common
import Engine

@Suite struct PenaltyGradientTests {
  static let architecture = Architecture(input: [2, 5, 5], layers: [
    .conv2d(name: "a", inChannels: 2, outChannels: 3, kernel: 3, padding: 1), .silu, .maxPool2d(size: 2),
    .conv2d(name: "b", inChannels: 3, outChannels: 4, kernel: 3, padding: 1), .silu, .globalAvgPool,
    .linear(name: "fc", inFeatures: 4, outFeatures: 1)])

  /// The oracle's loss for the batch.
  static func oracleLoss(_ theta: [Double], xs: [[Double]], labels: [Int], directions: [DirectionSet],
                         lambda: Double, weight: Double) -> Double {
    var bce = 0.0, penalty = 0.0
    for i in xs.indices {
      let f = ReferenceNetwork.logit(architecture, parameters: theta, x: xs[i]) as Double
      bce += BinaryCrossEntropy.loss(logit: f, label: labels[i], positiveWeight: weight)
      let basis = AlignmentPenalty.basis(directions[i])
      guard !basis.isEmpty else { continue }
      let u = ReferenceNetwork.inputGradient(architecture, parameters: theta, x: xs[i])
      let uu = u.reduce(0) { $0 + $1 * $1 }
      var pp = 0.0
      for q in basis {
        let c = zip(q, u).reduce(0) { $0 + $1.0 * $1.1 }
        pp += c * c
      }
      penalty += 1 - pp / uu
    }
    return (bce + lambda * penalty) / Double(xs.count)
  }

  @Test func penaltyGradientMatchesFiniteDifferences() throws {
    let model = try Model(architecture: Self.architecture, seed: 3)
    var random = SeededRandom(seed: 5)
    let n = model.inputCount
    func vector() -> [Float] { (0..<n).map { _ in Float(random.normal()) } }
    let xs = (0..<3).map { _ in (0..<n).map { _ in Float(random.uniform(-1, 1)) } }
    let first = vector()
    let directions: [DirectionSet] = [
      [vector(), vector()],
      [first, [Float](repeating: 0, count: n), first.map { 2 * $0 }],
      [],
    ]
    let labels = [1, 0, 0]
    let lambda = 0.7, weight = 2.0
    let result = model.lossAndGradients(x: xs.flatMap { $0 }, labels: labels, count: 3, positiveWeight: weight,
                                        lambda: lambda, directions: directions, threads: 2)
    #expect(result.penaltySkipped == 1)

    let theta = model.parameters.map(Double.init)
    let xd = xs.map { $0.map(Double.init) }
    let loss = Self.oracleLoss(theta, xs: xd, labels: labels, directions: directions, lambda: lambda, weight: weight)
    #expect(abs(result.loss - loss) <= 1e-5 * abs(loss), "loss \(result.loss) vs oracle \(loss)")

    let fd = theta.indices.map { j in
      ReferenceNetwork.centralDifference(theta, index: j, h: 1e-5) {
        Self.oracleLoss($0, xs: xd, labels: labels, directions: directions, lambda: lambda, weight: weight)
      }
    }
    let d = maxDifference(result.gradients.map(Double.init), fd)
    // The penalty part alone, to show it is not swamped by the BCE part.
    let bceOnly = model.lossAndGradients(x: xs.flatMap { $0 }, labels: labels, count: 3, positiveWeight: weight, threads: 1)
    let penaltyPart = zip(result.gradients, bceOnly.gradients).map { Double($0 - $1) }
    let penaltyScale = penaltyPart.map(abs).max() ?? 0
    print("penalty gradient: max |Δ| \(d.difference) over \(theta.count) parameters (scale \(d.scale), penalty part scale \(penaltyScale))")
    #expect(penaltyScale > 1e-3)
    #expect(d.difference <= 3e-4 * d.scale + 1e-7)
  }

  @Test func basisDropsZeroAndDependentDirections() {
    let a: [Float] = [1, 0, 0, 0], b: [Float] = [1, 1, 0, 0]
    let basis = AlignmentPenalty.basis([a, [0, 0, 0, 0], [2, 0, 0, 0], b, [3, 1, 0, 0]])
    #expect(basis.count == 2)
    #expect(abs(basis[0][0] - 1) < 1e-15)
    #expect(abs(basis[1][1] - 1) < 1e-15 && abs(basis[1][0]) < 1e-15)
  }

  @Test func penaltyValuesForKnownGradients() {
    let basis = AlignmentPenalty.basis([[1, 0, 0]])
    func pen(_ u: [Float]) -> Double? { u.withUnsafeBufferPointer { AlignmentPenalty.evaluate(u: $0, basis: basis)?.value } }
    #expect(pen([2, 0, 0]) == 0)
    #expect(pen([0, 3, 0]) == 1)
    #expect(abs((pen([1, 1, 0]) ?? -1) - 0.5) < 1e-15)
    #expect(pen([0, 0, 0]) == nil)
    #expect([Float(1)].withUnsafeBufferPointer { AlignmentPenalty.evaluate(u: $0, basis: []) } == nil)
  }
}
