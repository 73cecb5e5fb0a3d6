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

// Selections without SIMDMask: `replacing(with:where:)` is lowered lane by lane (128-bit pieces
// at best), so masks are built from sign bits and applied with integer bitwise operations, which
// stay whole-register.

@inline(__always) func bits(_ v: F16) -> SIMD16<Int32> { unsafeBitCast(v, to: SIMD16<Int32>.self) }
@inline(__always) func floats(_ b: SIMD16<Int32>) -> F16 { unsafeBitCast(b, to: F16.self) }

/// a where the mask is all ones, else b.
@inline(__always) func blend(_ mask: SIMD16<Int32>, _ a: F16, _ b: F16) -> F16 { floats((bits(a) & mask) | (bits(b) & ~mask)) }

/// max(x, low) per lane (finite inputs).
@inline(__always) func atLeast(_ x: F16, _ low: F16) -> F16 { blend(lessMask(x, low), low, x) }

/// min(x, high) per lane (finite inputs).
@inline(__always) func atMost(_ x: F16, _ high: F16) -> F16 { blend(lessMask(high, x), high, x) }

/// All ones in lanes where z ≤ 0 (either zero), else 0.
@inline(__always) func notPositiveMask(_ z: F16) -> SIMD16<Int32> {
  let b = bits(z)
  return (b &>> SIMD16<Int32>(repeating: 31)) | ((b &- SIMD16<Int32>(repeating: 1)) &>> SIMD16<Int32>(repeating: 31))
}

/// a where z > 0, else 0 (ReLU's derivative applied to a).
@inline(__always) func keepWherePositive(_ z: F16, _ a: F16) -> F16 { floats(bits(a) & ~notPositiveMask(z)) }

/// All ones in lanes where a < b (from the sign of a − b), else 0.
@inline(__always) func lessMask(_ a: F16, _ b: F16) -> SIMD16<Int32> { bits(a - b) &>> SIMD16<Int32>(repeating: 31) }

/// e^x per lane, relative error about 1e-7 over the float range (Cephes expf polynomial,
/// Cody–Waite range reduction); inputs are clamped to [−87.3, 88.3], so finite input never
/// gives inf or NaN. Every operand is a whole vector (constants included): operations mixing a
/// vector with a scalar are lowered lane by lane and re-vectorised only 128 bits wide.
@inline(__always) func exp16(_ input: F16) -> F16 {
  let low = F16(repeating: -87.3), high = F16(repeating: 88.3)
  let x = atMost(atLeast(input, low), high)
  // n = round(x / ln 2) by the 1.5·2^23 trick: the integer lands in the low mantissa bits of t.
  let magic = F16(repeating: 12_582_912)
  let t = x * F16(repeating: 1.442_695_04) + magic
  let n = t - magic
  let r = (x - n * F16(repeating: 0.693_359_375)) + n * F16(repeating: 2.121_944_4e-4)
  var p = F16(repeating: 1.987_569_15e-4)
  p = p * r + F16(repeating: 1.398_199_95e-3)
  p = p * r + F16(repeating: 8.333_451_9e-3)
  p = p * r + F16(repeating: 4.166_579_59e-2)
  p = p * r + F16(repeating: 1.666_666_55e-1)
  p = p * r + F16(repeating: 5.000_000_12e-1)
  let one = F16(repeating: 1)
  let e = p * (r * r) + r + one
  // 2^n built from its exponent bits; t's pattern minus the magic's pattern is n.
  let nBits = unsafeBitCast(t, to: SIMD16<Int32>.self) &- SIMD16<Int32>(repeating: 0x4B40_0000)
  let scale = unsafeBitCast((nBits &+ SIMD16<Int32>(repeating: 127)) &<< SIMD16<Int32>(repeating: 23), to: F16.self)
  return e * scale
}

/// 1 / (1 + e^−x) per lane.
@inline(__always) func sigmoid16(_ x: F16) -> F16 {
  let one = F16(repeating: 1)
  return one / (one + exp16(F16() - x))
}
