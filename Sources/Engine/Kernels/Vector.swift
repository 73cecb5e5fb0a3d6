// Vector helpers for the kernels: 16-lane float vectors (one AVX-512 register when compiled with
// `-target-cpu native`), unaligned loads/stores through raw pointers, and a vectorised exp and
// sigmoid (the activation layers need one per element; the scalar libm call would dominate).

typealias F16 = SIMD16<Float>

/// Lanes per vector; channel strides of activations are rounded up to a multiple of this.
package let vectorLanes = 16

/// `n` rounded up to a multiple of `vectorLanes`.
@inline(__always) package func roundUpToLanes(_ n: Int) -> Int { (n + vectorLanes - 1) / vectorLanes * vectorLanes }

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> F16 {
  UnsafeRawPointer(p).loadUnaligned(as: F16.self)
}

@inline(__always) func load16(_ p: UnsafeMutablePointer<Float>) -> F16 {
  UnsafeRawPointer(p).loadUnaligned(as: F16.self)
}

@inline(__always) func store16(_ v: F16, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self)
}

/// e^x per lane, relative error about 1e-7 over the float range (Cephes expf polynomial,
/// Cody–Waite range reduction); inputs are clamped to [−87.3, 88.3], so finite input never
/// gives inf or NaN.
@inline(__always) func exp16(_ input: F16) -> F16 {
  // Clamp by selects (the generic pointwiseMin/Max are not inlined and cost more than the rest).
  var x = input.replacing(with: -87.3, where: input .< -87.3)
  x.replace(with: 88.3, where: x .> 88.3)
  // n = round(x / ln 2) by the 1.5·2^23 trick: the integer lands in the low mantissa bits of t.
  let magic = F16(repeating: 12_582_912)
  let t = (x * 1.442_695_04) + magic
  let n = t - magic
  var r = x.addingProduct(n, F16(repeating: -0.693_359_375))
  r = r.addingProduct(n, F16(repeating: 2.121_944_4e-4))
  var p = F16(repeating: 1.987_569_15e-4)
  p = F16(repeating: 1.398_199_95e-3).addingProduct(p, r)
  p = F16(repeating: 8.333_451_9e-3).addingProduct(p, r)
  p = F16(repeating: 4.166_579_59e-2).addingProduct(p, r)
  p = F16(repeating: 1.666_666_55e-1).addingProduct(p, r)
  p = F16(repeating: 5.000_000_12e-1).addingProduct(p, r)
  let e = (r + 1).addingProduct(p, r * r)
  // 2^n built from its exponent bits; t's pattern minus the magic's pattern is n.
  let nBits = unsafeBitCast(t, to: SIMD16<Int32>.self) &- SIMD16<Int32>(repeating: 0x4B40_0000)
  let scale = unsafeBitCast((nBits &+ 127) &<< 23, to: F16.self)
  return e * scale
}

/// 1 / (1 + e^−x) per lane.
@inline(__always) func sigmoid16(_ x: F16) -> F16 {
  1 / (1 + exp16(-x))
}
