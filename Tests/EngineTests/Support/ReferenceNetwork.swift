// The test oracle: a plain-loop implementation of an architecture in Double, channels-first as
// PyTorch defines each layer, generic over the number type so that dual numbers give exact
// forward-mode derivatives (ḟ = ⟨∇ₓf, v⟩) without finite differences. Independent of the engine's
// channels-last kernels, packing and SIMD code.

import Foundation
import Engine

protocol ReferenceScalar {
  init(_ value: Double)
  var real: Double { get }
  static func + (a: Self, b: Self) -> Self
  static func - (a: Self, b: Self) -> Self
  static func * (a: Self, b: Self) -> Self
  static func / (a: Self, b: Self) -> Self
  func exponential() -> Self
}

extension Double: ReferenceScalar {
  var real: Double { self }
  func exponential() -> Double { Foundation.exp(self) }
}

/// a + b·ε with ε² = 0.
struct Dual: ReferenceScalar {
  var real: Double
  var tangent: Double
  init(_ value: Double) { real = value; tangent = 0 }
  init(_ value: Double, _ tangent: Double) { real = value; self.tangent = tangent }
  static func + (a: Dual, b: Dual) -> Dual { Dual(a.real + b.real, a.tangent + b.tangent) }
  static func - (a: Dual, b: Dual) -> Dual { Dual(a.real - b.real, a.tangent - b.tangent) }
  static func * (a: Dual, b: Dual) -> Dual { Dual(a.real * b.real, a.real * b.tangent + a.tangent * b.real) }
  static func / (a: Dual, b: Dual) -> Dual {
    Dual(a.real / b.real, (a.tangent * b.real - a.real * b.tangent) / (b.real * b.real))
  }
  func exponential() -> Dual { let e = Foundation.exp(real); return Dual(e, e * tangent) }
}

enum ReferenceNetwork {
  /// The logit for one sample `x` [C][H][W] with parameters in state_dict order.
  static func logit<T: ReferenceScalar>(_ architecture: Architecture, parameters: [Double], x: [T]) -> T {
    var c = architecture.input[0], h = architecture.input[1], w = architecture.input[2]
    var a = x
    var offset = 0
    for layer in architecture.layers {
      switch layer {
      case let .conv2d(_, cin, cout, k, p):
        let ho = h + 2 * p - k + 1, wo = w + 2 * p - k + 1
        let weight = offset, bias = offset + cout * cin * k * k
        offset = bias + cout
        var out = [T](repeating: T(0), count: cout * ho * wo)
        for co in 0..<cout {
          for y in 0..<ho {
            for xx in 0..<wo {
              var sum = T(parameters[bias + co])
              for ci in 0..<cin {
                for ky in 0..<k {
                  let sy = y + ky - p
                  if sy < 0 || sy >= h { continue }
                  for kx in 0..<k {
                    let sx = xx + kx - p
                    if sx < 0 || sx >= w { continue }
                    sum = sum + T(parameters[weight + ((co * cin + ci) * k + ky) * k + kx]) * a[(ci * h + sy) * w + sx]
                  }
                }
              }
              out[(co * ho + y) * wo + xx] = sum
            }
          }
        }
        a = out; c = cout; h = ho; w = wo
      case .silu:
        a = a.map { z in z / (T(1) + (T(0) - z).exponential()) }
      case .relu:
        a = a.map { z in z.real > 0 ? z : T(0) }
      case let .maxPool2d(size):
        let ho = h / size, wo = w / size
        var out = [T](repeating: T(0), count: c * ho * wo)
        for ch in 0..<c {
          for y in 0..<ho {
            for xx in 0..<wo {
              var best = a[(ch * h + y * size) * w + xx * size]
              for dy in 0..<size {
                for dx in 0..<size {
                  let v = a[(ch * h + y * size + dy) * w + xx * size + dx]
                  if v.real > best.real { best = v }
                }
              }
              out[(ch * ho + y) * wo + xx] = best
            }
          }
        }
        a = out; h = ho; w = wo
      case .globalAvgPool:
        var out = [T](repeating: T(0), count: c)
        for ch in 0..<c {
          var sum = T(0)
          for i in 0..<(h * w) { sum = sum + a[ch * h * w + i] }
          out[ch] = sum / T(Double(h * w))
        }
        a = out; h = 1; w = 1
      case let .linear(_, fin, fout):
        let bias = offset + fout * fin
        var out = [T](repeating: T(0), count: fout)
        for o in 0..<fout {
          var sum = T(parameters[bias + o])
          for i in 0..<fin { sum = sum + T(parameters[offset + o * fin + i]) * a[i] }
          out[o] = sum
        }
        offset = bias + fout
        a = out; c = fout
      }
    }
    return a[0]
  }

  /// ḟ = ⟨∇ₓf, v⟩ exactly, by dual numbers.
  static func jvp(_ architecture: Architecture, parameters: [Double], x: [Double], v: [Double]) -> Double {
    let dual = zip(x, v).map { Dual($0, $1) }
    return (logit(architecture, parameters: parameters, x: dual) as Dual).tangent
  }

  /// ∇ₓf exactly, one dual evaluation per input coordinate (small inputs only).
  static func inputGradient(_ architecture: Architecture, parameters: [Double], x: [Double]) -> [Double] {
    (0..<x.count).map { i in
      var v = [Double](repeating: 0, count: x.count)
      v[i] = 1
      return jvp(architecture, parameters: parameters, x: x, v: v)
    }
  }

  /// Central finite difference of `f` in parameter `index` with step `h`.
  static func centralDifference(_ parameters: [Double], index: Int, h: Double, _ f: ([Double]) -> Double) -> Double {
    var plus = parameters, minus = parameters
    plus[index] += h
    minus[index] -= h
    return (f(plus) - f(minus)) / (2 * h)
  }
}

/// Largest |a − b| and the largest |b|, for tolerance checks relative to the oracle's scale.
func maxDifference(_ a: [Double], _ b: [Double]) -> (difference: Double, scale: Double) {
  var d = 0.0, s = 0.0
  for (x, y) in zip(a, b) { d = max(d, abs(x - y)); s = max(s, abs(y)) }
  return (d, s)
}
