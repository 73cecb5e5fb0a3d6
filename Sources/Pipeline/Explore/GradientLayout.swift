// GradientLayout: lays a model's input gradient ∇f (3×64×64 on the 1 mm crop of DESIGN §4) onto
// the CT slices it came from, one value per voxel, so the slice pane can draw it over the CT.
// Each voxel takes the crop pixel of the 1 mm sample nearest its centre (samples lie at 0, 1, 2 …
// mm from the first voxel centre), so for 1 mm data the mapping is exact, voxel for voxel.

import Imaging

enum GradientLayout {
  /// Per slice of the crop (z* − 1 … z* + 1, those inside the volume): [y][x] values of ∇f divided
  /// by `scale` and clamped to [−1, 1], NaN outside the crop. `scale` is the 99th percentile of
  /// |∇f| over the crop (so one extreme pixel does not wash out the rest; 1 if ∇f is zero).
  static func slices(gradient: [Float], centre: (z: Int, y: Int, x: Int), grid: Grid)
    -> (slices: [Int: [Float]], scale: Double) {
    let side = ModelInput.side
    precondition(gradient.count == ModelInput.count, "a gradient is 3×64×64")
    let magnitudes = gradient.map { abs($0) }.sorted()
    let percentile = Double(magnitudes[min(magnitudes.count - 1, Int(Double(magnitudes.count) * 0.99))])
    let scale = percentile > 0 ? percentile : 1
    let columns = (0..<grid.nx).map { sample($0, spacing: grid.spacing.x) - (centre.x - side / 2) }
    let rows = (0..<grid.ny).map { sample($0, spacing: grid.spacing.y) - (centre.y - side / 2) }
    var slices: [Int: [Float]] = [:]
    for channel in 0..<ModelInput.channels {
      let z = centre.z - 1 + channel
      guard (0..<grid.nz).contains(z) else { continue }
      var values = [Float](repeating: .nan, count: grid.sliceCount)
      for (y, row) in rows.enumerated() where (0..<side).contains(row) {
        for (x, column) in columns.enumerated() where (0..<side).contains(column) {
          let g = Double(gradient[(channel * side + row) * side + column]) / scale
          values[y * grid.nx + x] = Float(min(1, max(-1, g)))
        }
      }
      slices[z] = values
    }
    return (slices, scale)
  }

  /// The 1 mm sample nearest voxel `index` along an axis of `spacing` mm (the voxel itself when
  /// the axis is not resampled).
  static func sample(_ index: Int, spacing: Double) -> Int {
    abs(spacing - 1) <= Preprocessor.spacingTolerance ? index : Int((Double(index) * spacing).rounded())
  }
}
