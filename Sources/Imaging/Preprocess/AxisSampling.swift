// AxisSampling: preprocessing step 1 along one in-plane axis. It says where each sample of the
// 1 mm grid falls on the original voxels, for bilinear (image) and nearest (mask) resampling.
// Keeping it per axis lets the preprocessor resample only the pixels it needs.

/// The 1 mm resampling of one in-plane axis of `voxels` voxels at `spacing` mm.
///
/// Conventions (README "Preprocessing"):
/// - An axis whose spacing is within 1e-3 of 1.0 mm is left as it is (sample k is voxel k).
/// - Otherwise the new axis has floor((n − 1)·h + 1e-9) + 1 samples (Double arithmetic; the 1e-9
///   absorbs rounding in products that are whole numbers), and sample k lies at u = k / h in
///   voxel units from the first voxel centre.
/// - Bilinear: i = floor(u), t = u − i; at or past the last voxel (i ≥ n − 1) i = n − 1, t = 0.
/// - Nearest: floor(u + 0.5) (a tie takes the higher voxel), at most n − 1.
struct AxisSampling: Sendable, Equatable {
  /// Number of samples on the 1 mm grid.
  let count: Int
  /// Bilinear: lower voxel and weight of the upper one (0 means the lower voxel alone).
  let lower: [Int]
  let weight: [Double]
  /// Nearest voxel of each sample.
  let nearest: [Int]
  /// The original spacing h in mm, and whether the axis is resampled at all.
  let spacing: Double
  let resampled: Bool

  /// The largest resampled axis accepted (a spacing of 1 m would otherwise ask for millions).
  static let maxCount = 16_384
  static let tolerance = 1e-3

  init?(voxels n: Int, spacing h: Double) {
    guard n >= 0, h.isFinite, h > 0 else { return nil }
    resampled = abs(h - 1) > AxisSampling.tolerance
    spacing = h
    guard resampled && n > 0 else {
      count = n
      lower = Array(0..<n)
      weight = Array(repeating: 0, count: n)
      nearest = Array(0..<n)
      return
    }
    let extent = (Double(n - 1) * h + 1e-9).rounded(.down)
    guard extent < Double(AxisSampling.maxCount) else { return nil }
    count = Int(extent) + 1
    var lower = [Int](repeating: 0, count: count)
    var weight = [Double](repeating: 0, count: count)
    var nearest = [Int](repeating: 0, count: count)
    for k in 0..<count {
      let u = Double(k) / h
      let i = Int(u.rounded(.down))
      if i >= n - 1 {
        lower[k] = n - 1
      } else {
        lower[k] = i
        weight[k] = u - Double(i)
      }
      nearest[k] = min(Int((u + 0.5).rounded(.down)), n - 1)
    }
    self.lower = lower
    self.weight = weight
    self.nearest = nearest
  }

  /// Original voxel coordinate of sample `k` (any integer, also outside the axis).
  func position(of k: Int) -> Double { resampled ? Double(k) / spacing : Double(k) }

  /// How many samples take each voxel as their nearest (the mask's area weights).
  func nearestMultiplicity(voxels n: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: n)
    for i in nearest { counts[i] += 1 }
    return counts
  }

  /// Sum of the sample indices whose nearest voxel is each voxel (for the mask centroid).
  func nearestIndexSum(voxels n: Int) -> [Int] {
    var sums = [Int](repeating: 0, count: n)
    for (k, i) in nearest.enumerated() { sums[i] += k }
    return sums
  }
}
