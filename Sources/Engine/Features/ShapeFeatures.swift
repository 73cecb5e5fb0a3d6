// ShapeFeatures: size and shape of the tumour, measured on the soft occupancy s (SoftOccupancy.swift)
// so that they are differentiable in x (DESIGN §5). In-plane pixels are 1 mm; slices are s_z mm.
// Gradients reach x only through s: ∂g/∂x_i = ∂g/∂s_i · ds_i/dx_i.

import Glibc

package enum ShapeFeatures {
  /// √ε of the perimeter's smoothed gradient magnitude: sqrt(gx² + gy² + 10⁻⁶) − 10⁻³.
  package static let perimeterSmoothing = 1e-3
  /// Below this perimeter (mm) the occupancy is flat and circularity has no meaning.
  package static let minimumPerimeter = 1e-9

  /// `shape.volume`: V = s_z Σ s over all three channels (mm³).   ∂V/∂x_i = s_z ds_i/dx_i.
  package static func volume(_ context: FeatureContext) -> FeatureResult {
    let thickness = context.input.sliceThickness
    guard thickness.isFinite && thickness > 0 else {
      return .undefined(reason: "slice thickness \(thickness) mm is not positive")
    }
    return withOccupancy(context, centre: false) { occupancy in
      var sum = 0.0
      var gradient = context.zeroGradient()
      for i in 0..<FeatureInput.count {
        sum += occupancy.s[i]
        gradient[i] = thickness * occupancy.slope[i]
      }
      return .defined(value: sum * thickness, gradient: gradient)
    }
  }

  /// `shape.area`: A = Σ s over the centre channel (mm²).   ∂A/∂x_i = ds_i/dx_i on the centre channel.
  package static func area(_ context: FeatureContext) -> FeatureResult {
    withOccupancy(context, centre: true) { occupancy in
      .defined(value: area(occupancy), gradient: areaGradient(occupancy, context))
    }
  }

  /// `shape.perimeter`: P = Σ (sqrt(gx² + gy² + 10⁻⁶) − 10⁻³) over the centre channel (mm), gx and
  /// gy forward differences of s (0 in the last column / row), so a flat region adds nothing.
  /// ∂P/∂s: each pixel's term sends gx/n to its right neighbour, gy/n to the one below and
  /// −(gx + gy)/n to itself, n = sqrt(gx² + gy² + 10⁻⁶).
  package static func perimeter(_ context: FeatureContext) -> FeatureResult {
    withOccupancy(context, centre: true) { occupancy in
      let (value, gradient) = perimeter(occupancy)
      guard value >= minimumPerimeter else { return .undefined(reason: "zero perimeter") }
      return .defined(value: value, gradient: gradient)
    }
  }

  /// `shape.circularity`: 4π A / P² (largest for a disc; lower for elongated or ragged outlines).   ∂/∂x = 4π (∂A/P² − 2A ∂P/P³).
  package static func circularity(_ context: FeatureContext) -> FeatureResult {
    withOccupancy(context, centre: true) { occupancy in
      let area = area(occupancy)
      let (perimeter, perimeterGradient) = perimeter(occupancy)
      guard perimeter >= minimumPerimeter else { return .undefined(reason: "zero perimeter") }
      let areaGradient = areaGradient(occupancy, context)
      let p2 = perimeter * perimeter, p3 = p2 * perimeter
      var gradient = context.zeroGradient()
      for i in 0..<FeatureInput.count where areaGradient[i] != 0 || perimeterGradient[i] != 0 {
        gradient[i] = 4 * Double.pi * (areaGradient[i] / p2 - 2 * area * perimeterGradient[i] / p3)
      }
      return .defined(value: 4 * Double.pi * area / p2, gradient: gradient)
    }
  }

  /// `shape.elongation`: sqrt(λ_minor / λ_major) of the s-weighted covariance C of pixel-centre
  /// coordinates (mm) on the centre channel: 1 for a disc, → 0 for a line.
  /// With W = Σ s and centroid m: ∂C_ab/∂s_i = ((a_i − m_a)(b_i − m_b) − C_ab) / W; λ = a ± r with
  /// a = (C_xx + C_yy)/2, r = sqrt(((C_xx − C_yy)/2)² + C_xy²). Undefined where the shape is
  /// isotropic (r = 0: the eigenvalues, hence the feature, have no gradient) or a line (λ_minor = 0).
  package static func elongation(_ context: FeatureContext) -> FeatureResult {
    withOccupancy(context, centre: true) { occupancy in
      let moments = CentreMoments(occupancy)
      let (cxx, cyy, cxy) = (moments.cxx, moments.cyy, moments.cxy)
      let a = (cxx + cyy) / 2, b = (cxx - cyy) / 2
      let r = (b * b + cxy * cxy).squareRoot()
      let major = a + r, minor = a - r
      guard major > 0, r > 1e-9 * major else {
        return .undefined(reason: "isotropic shape: elongation is 1 but has no gradient")
      }
      guard minor > 1e-12 * major else { return .undefined(reason: "degenerate shape (a line)") }
      let e = (minor / major).squareRoot()
      let dMinor = 1 / (2 * e * major), dMajor = -e / (2 * major)
      var gradient = context.zeroGradient()
      let offset = FeatureInput.centreChannel * FeatureInput.plane
      for p in 0..<FeatureInput.plane where occupancy.slope[offset + p] != 0 {
        let dx = Double(p % FeatureInput.side) - moments.meanX
        let dy = Double(p / FeatureInput.side) - moments.meanY
        let dCxx = (dx * dx - cxx) / moments.weight
        let dCyy = (dy * dy - cyy) / moments.weight
        let dCxy = (dx * dy - cxy) / moments.weight
        let da = (dCxx + dCyy) / 2, db = (dCxx - dCyy) / 2
        let dr = (b * db + cxy * dCxy) / r
        let ds = (da + dr) * dMajor + (da - dr) * dMinor
        gradient[offset + p] = ds * occupancy.slope[offset + p]
      }
      return .defined(value: e, gradient: gradient)
    }
  }

  // MARK: shared pieces

  /// Runs `body` on the occupancy, or reports why there is none (or, for the in-plane features, no
  /// mask on the centre slice to measure).
  static func withOccupancy(_ context: FeatureContext, centre: Bool,
                            _ body: (SoftOccupancy) -> FeatureResult) -> FeatureResult {
    switch context.occupancy {
    case .failure(let problem): return .undefined(reason: problem.reason)
    case .success(let occupancy):
      if centre && context.centreMaskCount == 0 { return .undefined(reason: "no mask on the centre slice") }
      return body(occupancy)
    }
  }

  private static func area(_ occupancy: SoftOccupancy) -> Double {
    let offset = FeatureInput.centreChannel * FeatureInput.plane
    var sum = 0.0
    for p in 0..<FeatureInput.plane { sum += occupancy.s[offset + p] }
    return sum
  }

  private static func areaGradient(_ occupancy: SoftOccupancy, _ context: FeatureContext) -> [Double] {
    let offset = FeatureInput.centreChannel * FeatureInput.plane
    var gradient = context.zeroGradient()
    for p in 0..<FeatureInput.plane { gradient[offset + p] = occupancy.slope[offset + p] }
    return gradient
  }

  /// P and ∂P/∂x on the centre channel. Each term is written as g²/(sqrt(g² + ε) + √ε), equal to
  /// sqrt(g² + ε) − √ε but exactly 0 where s is flat and free of cancellation where it nearly is.
  private static func perimeter(_ occupancy: SoftOccupancy) -> (Double, [Double]) {
    let side = FeatureInput.side, offset = FeatureInput.centreChannel * FeatureInput.plane
    let root = perimeterSmoothing, epsilon = root * root
    var sum = 0.0
    var dS = [Double](repeating: 0, count: FeatureInput.count)
    occupancy.s.withUnsafeBufferPointer { s in
      for y in 0..<side {
        for x in 0..<side {
          let i = offset + y * side + x
          let gx = x < side - 1 ? s[i + 1] - s[i] : 0
          let gy = y < side - 1 ? s[i + side] - s[i] : 0
          let g2 = gx * gx + gy * gy
          guard g2 > 0 else { continue }
          let n = (g2 + epsilon).squareRoot()
          sum += g2 / (n + root)
          if x < side - 1 { dS[i + 1] += gx / n }
          if y < side - 1 { dS[i + side] += gy / n }
          dS[i] -= (gx + gy) / n
        }
      }
    }
    for i in offset..<(offset + FeatureInput.plane) { dS[i] *= occupancy.slope[i] }
    return (sum, dS)
  }
}

/// Weight, centroid and covariance of pixel-centre coordinates (column x, row y, in mm) weighted by s
/// on the centre channel.
struct CentreMoments {
  var weight = 0.0, meanX = 0.0, meanY = 0.0, cxx = 0.0, cyy = 0.0, cxy = 0.0

  init(_ occupancy: SoftOccupancy) {
    let offset = FeatureInput.centreChannel * FeatureInput.plane, side = FeatureInput.side
    var sx = 0.0, sy = 0.0
    for p in 0..<FeatureInput.plane {
      let s = occupancy.s[offset + p]
      weight += s
      sx += s * Double(p % side)
      sy += s * Double(p / side)
    }
    meanX = sx / weight
    meanY = sy / weight
    for p in 0..<FeatureInput.plane {
      let s = occupancy.s[offset + p]
      guard s != 0 else { continue }
      let dx = Double(p % side) - meanX, dy = Double(p / side) - meanY
      cxx += s * dx * dx
      cyy += s * dy * dy
      cxy += s * dx * dy
    }
    cxx /= weight
    cyy /= weight
    cxy /= weight
  }
}
