// The test oracle of the regularizer tests: a small CNN on 3×64×64 inputs written out in Double
// with plain loops, channels-first as PyTorch defines each layer, with its own reverse pass for
// ∇ₓf. Independent of the engine's channels-last float kernels. Architecture (TinyReferenceNetwork
// .architecture): conv c1 3→2 (3×3, pad 1), SiLU, conv c2 2→2 (3×3, pad 1), SiLU, global average
// pool, linear fc 2→1 — smooth everywhere, so finite differences in θ are clean.

import Foundation
import Engine

enum TinyReferenceNetwork {
  static let side = 64
  static let architecture = Architecture(input: [3, 64, 64], layers: [
    .conv2d(name: "c1", inChannels: 3, outChannels: 2, kernel: 3, padding: 1), .silu,
    .conv2d(name: "c2", inChannels: 2, outChannels: 2, kernel: 3, padding: 1), .silu, .globalAvgPool,
    .linear(name: "fc", inFeatures: 2, outFeatures: 1)])

  /// Parameters in state_dict order: c1.weight [2,3,3,3], c1.bias [2], c2.weight [2,2,3,3], c2.bias [2],
  /// fc.weight [1,2], fc.bias [1].
  struct Parameters {
    var w1: ArraySlice<Double>, b1: ArraySlice<Double>, w2: ArraySlice<Double>, b2: ArraySlice<Double>
    var fc: ArraySlice<Double>, fcBias: Double
    init(_ theta: [Double]) {
      precondition(theta.count == 54 + 2 + 36 + 2 + 2 + 1)
      w1 = theta[0..<54]; b1 = theta[54..<56]; w2 = theta[56..<92]; b2 = theta[92..<94]; fc = theta[94..<96]; fcBias = theta[96]
    }
  }

  /// Logit f(x) and input gradient ∇ₓf for one sample x [3][64][64].
  static func logitAndGradient(_ theta: [Double], x: [Double]) -> (logit: Double, gradient: [Double]) {
    let p = Parameters(theta)
    let a1 = convolve(x, inputs: 3, outputs: 2, weights: p.w1, bias: p.b1)
    let h1 = a1.map(silu)
    let a2 = convolve(h1, inputs: 2, outputs: 2, weights: p.w2, bias: p.b2)
    let h2 = a2.map(silu)
    let plane = side * side
    var logit = p.fcBias
    for c in 0..<2 { logit += p.fc[p.fc.startIndex + c] * h2[(c * plane)..<((c + 1) * plane)].reduce(0, +) / Double(plane) }
    // Reverse pass.
    var dA2 = [Double](repeating: 0, count: 2 * plane)
    for c in 0..<2 { for i in 0..<plane { dA2[c * plane + i] = p.fc[p.fc.startIndex + c] / Double(plane) * siluDerivative(a2[c * plane + i]) } }
    var dA1 = transposeConvolve(dA2, inputs: 2, outputs: 2, weights: p.w2)
    for i in dA1.indices { dA1[i] *= siluDerivative(a1[i]) }
    return (logit, transposeConvolve(dA1, inputs: 3, outputs: 2, weights: p.w1))
  }

  /// out[o][y][x] = b[o] + Σ_i Σ_{ky,kx} w[o][i][ky][kx] · in[i][y+ky−1][x+kx−1] (zero outside).
  static func convolve(_ input: [Double], inputs: Int, outputs: Int, weights: ArraySlice<Double>, bias: ArraySlice<Double>) -> [Double] {
    let plane = side * side
    var out = [Double](repeating: 0, count: outputs * plane)
    for o in 0..<outputs {
      for y in 0..<side {
        for x in 0..<side {
          var sum = bias[bias.startIndex + o]
          for i in 0..<inputs {
            for ky in 0..<3 {
              let sy = y + ky - 1
              guard sy >= 0 && sy < side else { continue }
              for kx in 0..<3 {
                let sx = x + kx - 1
                guard sx >= 0 && sx < side else { continue }
                sum += weights[weights.startIndex + ((o * inputs + i) * 3 + ky) * 3 + kx] * input[(i * side + sy) * side + sx]
              }
            }
          }
          out[(o * side + y) * side + x] = sum
        }
      }
    }
    return out
  }

  /// The adjoint of `convolve` without bias: din[i][sy][sx] = Σ w[o][i][ky][kx] · dout[o][sy−ky+1][sx−kx+1].
  static func transposeConvolve(_ dOut: [Double], inputs: Int, outputs: Int, weights: ArraySlice<Double>) -> [Double] {
    var dIn = [Double](repeating: 0, count: inputs * side * side)
    for o in 0..<outputs {
      for y in 0..<side {
        for x in 0..<side {
          let g = dOut[(o * side + y) * side + x]
          for i in 0..<inputs {
            for ky in 0..<3 {
              let sy = y + ky - 1
              guard sy >= 0 && sy < side else { continue }
              for kx in 0..<3 {
                let sx = x + kx - 1
                guard sx >= 0 && sx < side else { continue }
                dIn[(i * side + sy) * side + sx] += weights[weights.startIndex + ((o * inputs + i) * 3 + ky) * 3 + kx] * g
              }
            }
          }
        }
      }
    }
    return dIn
  }

  static func sigmoid(_ a: Double) -> Double { 1 / (1 + exp(-a)) }
  static func silu(_ a: Double) -> Double { a * sigmoid(a) }
  static func siluDerivative(_ a: Double) -> Double { let s = sigmoid(a); return s * (1 + a * (1 - s)) }
}
