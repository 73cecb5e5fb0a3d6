// SeededRandom: the one random number generator of fgf. Every random choice (initialisation,
// shuffling, augmentation, noise baselines, bootstrap, the synthetic cohort) draws from it with
// an explicit seed, so results are reproducible bit for bit on any machine.

import Glibc

/// xoshiro256** seeded through SplitMix64. Deterministic and platform independent.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// A generator for `seed`; `stream` selects an independent sequence for the same seed
  /// (e.g. one per noise draw j), without the caller having to invent seeds.
  public init(seed: UInt64, stream: UInt64 = 0) {
    var mixer = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (stream == 0 ? 0 : 0xD1B5_4A32_D192_ED03)
    func next() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (next(), next(), next(), next())
  }

  public mutating func next() -> UInt64 {
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1) with 53 random bits.
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform in [low, high).
  public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

  /// Uniform integer in 0..<n (n > 0), without modulo bias.
  public mutating func index(_ n: Int) -> Int {
    precondition(n > 0, "index(_:) needs a positive bound")
    return Int(next(upperBound: UInt64(n)))
  }

  /// Standard normal by the Box–Muller transform (one value per call; deterministic).
  public mutating func normal() -> Double {
    var u1 = uniform()
    while u1 <= 0 { u1 = uniform() }
    let u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// +1 or −1 with equal probability.
  public mutating func sign() -> Float { (next() >> 63) == 0 ? 1 : -1 }

  /// Fisher–Yates shuffle of `array` (the standard library's shuffle is not specified to be stable
  /// across versions, so fgf uses this one).
  public mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      array.swapAt(i, index(i + 1))
    }
  }
}
