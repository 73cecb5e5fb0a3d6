// Every layer's backward (VJP), tangent (JVP) and tangent backward checked against the Double
// oracle: ∇ₓf and ∇θf against central finite differences of the oracle's logit, ḟ = ⟨∇ₓf, v⟩
// against the oracle's exact dual-number JVP, and ∇θḟ (what the penalty's exact gradient is made
// of) against central finite differences of that JVP. Each case is a small network built around
// the layer under test. Tolerance: |engine − oracle| ≤ 3e-4·max|oracle| + 1e-6 (the engine
// computes in Float); the measured maxima are printed.

import Testing
import Common
import Engine

@Suite struct LayerGradientTests {
  struct Case: CustomStringConvertible, Sendable {
    var label: String
    var architecture: Architecture
    var description: String { label }
  }

  static let cases: [Case] = [
    Case(label: "conv2d unrolled (3 channels, k3 p1)", architecture: Architecture(input: [3, 6, 6], layers: [
      .conv2d(name: "c", inChannels: 3, outChannels: 4, kernel: 3, padding: 1), .globalAvgPool,
      .linear(name: "fc", inFeatures: 4, outFeatures: 1)])),
    Case(label: "conv2d direct (16→20 channels, k3 p0, 18 wide: full and tail blocks)", architecture: Architecture(input: [16, 19, 19], layers: [
      .conv2d(name: "c", inChannels: 16, outChannels: 20, kernel: 3, padding: 0), .globalAvgPool,
      .linear(name: "fc", inFeatures: 20, outFeatures: 1)])),
    Case(label: "conv2d k5 p2 then k1 (direct, 5 channels)", architecture: Architecture(input: [2, 7, 7], layers: [
      .conv2d(name: "a", inChannels: 2, outChannels: 5, kernel: 5, padding: 2),
      .conv2d(name: "b", inChannels: 5, outChannels: 3, kernel: 1, padding: 0), .globalAvgPool,
      .linear(name: "fc", inFeatures: 3, outFeatures: 1)])),
    Case(label: "silu", architecture: Architecture(input: [3, 6, 6], layers: [
      .conv2d(name: "c", inChannels: 3, outChannels: 4, kernel: 3, padding: 1), .silu,
      .conv2d(name: "d", inChannels: 4, outChannels: 4, kernel: 3, padding: 1), .silu, .globalAvgPool,
      .linear(name: "fc", inFeatures: 4, outFeatures: 1)])),
    Case(label: "relu", architecture: Architecture(input: [3, 6, 6], layers: [
      .conv2d(name: "c", inChannels: 3, outChannels: 4, kernel: 3, padding: 1), .relu,
      .conv2d(name: "d", inChannels: 4, outChannels: 4, kernel: 3, padding: 1), .relu, .globalAvgPool,
      .linear(name: "fc", inFeatures: 4, outFeatures: 1)])),
    Case(label: "maxpool2d (7×7, remainder dropped)", architecture: Architecture(input: [3, 7, 7], layers: [
      .conv2d(name: "c", inChannels: 3, outChannels: 4, kernel: 3, padding: 1), .silu, .maxPool2d(size: 2),
      .conv2d(name: "d", inChannels: 4, outChannels: 4, kernel: 3, padding: 1), .silu, .globalAvgPool,
      .linear(name: "fc", inFeatures: 4, outFeatures: 1)])),
    Case(label: "relu and stacked activations fused with maxpool2d (9×9, remainders; a pool after a bare conv)",
         architecture: Architecture(input: [3, 9, 9], layers: [
      .conv2d(name: "c", inChannels: 3, outChannels: 4, kernel: 3, padding: 1), .relu, .maxPool2d(size: 2),
      .conv2d(name: "d", inChannels: 4, outChannels: 4, kernel: 3, padding: 1), .silu, .relu, .maxPool2d(size: 2),
      .conv2d(name: "e", inChannels: 4, outChannels: 4, kernel: 1, padding: 0), .maxPool2d(size: 2), .globalAvgPool,
      .linear(name: "fc", inFeatures: 4, outFeatures: 1)])),
    Case(label: "linear head with activation", architecture: Architecture(input: [2, 5, 5], layers: [
      .conv2d(name: "c", inChannels: 2, outChannels: 3, kernel: 3, padding: 1), .globalAvgPool,
      .linear(name: "h", inFeatures: 3, outFeatures: 5), .silu,
      .linear(name: "fc", inFeatures: 5, outFeatures: 1)])),
    Case(label: "FGF-CNN layers on 3×16×16", architecture: {
      var a = Architecture.fgfCNN()
      a.input = [3, 16, 16]
      return a
    }()),
  ]

  @Test(arguments: cases)
  func derivativesMatchOracle(_ testCase: Case) throws {
    let architecture = testCase.architecture
    let model = try Model(architecture: architecture, seed: 7)
    var random = SeededRandom(seed: 11)
    let n = model.inputCount
    let x = (0..<n).map { _ in Float(random.uniform(-1, 1)) }
    let v = (0..<n).map { _ in Float(random.normal()) }
    let theta = model.parameters.map(Double.init)
    let xd = x.map(Double.init), vd = v.map(Double.init)
    // Parameters to check: all of a small network, else every bias and a seeded sample of weights.
    var indices = Array(0..<theta.count)
    if theta.count > 300 {  // keep the oracle work small
      var chosen = Set<Int>()
      for entry in model.layout.entries where entry.name.hasSuffix("bias") { chosen.formUnion(entry.range) }
      while chosen.count < 150 { chosen.insert(random.index(theta.count)) }
      indices = chosen.sorted()
    }
    let h = 1e-5

    // Logit.
    let (logits, gradients) = model.logitsAndInputGradients(x, count: 1, threads: 1)
    let f = ReferenceNetwork.logit(architecture, parameters: theta, x: xd)
    #expect(abs(Double(logits[0]) - f) <= 1e-5 * max(1, abs(f)), "logit \(logits[0]) vs \(f)")

    // ∇ₓf against central differences in x (a sample of coordinates for large inputs).
    let xIndices = n > 200 ? (0..<100).map { _ in random.index(n) } : Array(0..<n)
    let uFD = xIndices.map { i in
      ReferenceNetwork.centralDifference(xd, index: i, h: h) { ReferenceNetwork.logit(architecture, parameters: theta, x: $0) }
    }
    let u = xIndices.map { Double(gradients[$0]) }
    let du = maxDifference(u, uFD)

    // ∇θf against central differences in θ.
    let plain = model.sampleDerivatives(x: x, v: nil, outputAdjoint: 1, tangentAdjoint: 0)
    let gFD = indices.map { j in
      ReferenceNetwork.centralDifference(theta, index: j, h: h) { ReferenceNetwork.logit(architecture, parameters: $0, x: xd) }
    }
    let dg = maxDifference(indices.map { Double(plain.gradient[$0]) }, gFD)

    // JVP ḟ against the exact dual-number JVP.
    let dual = model.sampleDerivatives(x: x, v: v, outputAdjoint: 0, tangentAdjoint: 1)
    let jvp = ReferenceNetwork.jvp(architecture, parameters: theta, x: xd, v: vd)
    let dj = abs(Double(dual.jvp) - jvp)

    // ∇θḟ (the JVP's backward) against central differences of the exact JVP in θ.
    let tFD = indices.map { j in
      ReferenceNetwork.centralDifference(theta, index: j, h: h) { ReferenceNetwork.jvp(architecture, parameters: $0, x: xd, v: vd) }
    }
    let dt = maxDifference(indices.map { Double(dual.gradient[$0]) }, tFD)

    print("\(testCase.label): max |Δ| ∇ₓf \(du.difference) (scale \(du.scale)), ∇θf \(dg.difference) (scale \(dg.scale)), "
          + "ḟ \(dj) (value \(jvp)), ∇θḟ \(dt.difference) (scale \(dt.scale)); \(indices.count) parameters")
    #expect(du.difference <= 3e-4 * du.scale + 1e-6)
    #expect(dg.difference <= 3e-4 * dg.scale + 1e-6)
    #expect(dj <= 3e-4 * abs(jvp) + 1e-5)
    #expect(dt.difference <= 3e-4 * dt.scale + 1e-6)
  }
}
