// GaussianBlur: the in-plane blur that turns white noise into the `smooth` baseline (DESIGN §2).
// σ = 2 px, kernel truncated at 4σ (radius 8, 17 taps, normalised to sum 1), applied separably
// along rows and columns of each channel, borders mirrored about the edge ("reflect":
// … c b a | a b c …), i.e. scipy.ndimage.gaussian_filter(v, sigma=(0, 2, 2), mode="reflect", truncate=4).

import Glibc

package enum GaussianBlur {
  package static let sigma = 2.0
  package static let truncate = 4.0

  /// Kernel weights for offsets −radius…radius.
  package static func kernel(sigma: Double) -> [Double] {
    let radius = Int(truncate * sigma + 0.5)
    let weights = (-radius...radius).map { k in exp(-Double(k * k) / (2 * sigma * sigma)) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
  }

  /// Index `i` of an axis of length n, mirrored at the edges (−1 → 0, −2 → 1, n → n − 1, …).
  @inline(__always) static func reflect(_ i: Int, _ n: Int) -> Int {
    var i = i
    let period = 2 * n
    i %= period
    if i < 0 { i += period }
    return i < n ? i : period - 1 - i
  }

  /// Blurs each 64×64 channel of a 3×64×64 vector.
  package static func blurInPlane(_ v: [Float], sigma: Double = sigma) -> [Float] {
    let side = FeatureInput.side, weights = kernel(sigma: sigma), taps = weights.count, radius = taps / 2
    // sources[x · taps + k]: the (mirrored) position read by tap k at position x.
    let sources = (0..<side).flatMap { x in (-radius...radius).map { reflect(x + $0, side) } }
    var rows = [Double](repeating: 0, count: v.count)
    var out = [Float](repeating: 0, count: v.count)
    weights.withUnsafeBufferPointer { w in
      sources.withUnsafeBufferPointer { src in
        v.withUnsafeBufferPointer { input in
          rows.withUnsafeMutableBufferPointer { rows in
            out.withUnsafeMutableBufferPointer { out in
              for c in 0..<FeatureInput.channels {
                let base = c * FeatureInput.plane
                for y in 0..<side {
                  let row = base + y * side
                  for x in 0..<side {
                    var sum = 0.0
                    for k in 0..<taps { sum += w[k] * Double(input[row + src[x * taps + k]]) }
                    rows[row + x] = sum
                  }
                }
                for y in 0..<side {
                  for x in 0..<side {
                    var sum = 0.0
                    for k in 0..<taps { sum += w[k] * rows[base + src[y * taps + k] * side + x] }
                    out[base + y * side + x] = Float(sum)
                  }
                }
              }
            }
          }
        }
      }
    }
    return out
  }
}
