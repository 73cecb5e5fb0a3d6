// PhantomShape: the 2-D shapes the synthetic neck is painted from (ellipses and capsules), each
// with its partial-volume coverage of a 1 mm pixel from an estimate of the signed distance to its
// edge; and the distance to the superellipse of the neck outline.

import Glibc

/// A filled shape in the slice plane, in millimetres of the image frame (x right = patient left,
/// y down = posterior).
enum PhantomShape: Sendable {
  /// Ellipse centred at (cx, cy) with semi-axes a (along the rotated x axis) and b, rotated by the
  /// angle whose cosine and sine are given (counter-clockwise in the x–y frame).
  case ellipse(cx: Double, cy: Double, a: Double, b: Double, cosine: Double, sine: Double)
  /// All points within `radius` of the segment (x0, y0)–(x1, y1).
  case capsule(x0: Double, y0: Double, x1: Double, y1: Double, radius: Double)

  /// An ellipse rotated by `angle` radians.
  static func ellipse(cx: Double, cy: Double, a: Double, b: Double, angle: Double) -> PhantomShape {
    .ellipse(cx: cx, cy: cy, a: a, b: b, cosine: cos(angle), sine: sin(angle))
  }

  /// A box (x0, y0, x1, y1) in mm containing the shape.
  var bounds: (Double, Double, Double, Double) {
    switch self {
    case .ellipse(let cx, let cy, let a, let b, _, _):
      let r = max(a, b)
      return (cx - r, cy - r, cx + r, cy + r)
    case .capsule(let x0, let y0, let x1, let y1, let radius):
      return (min(x0, x1) - radius, min(y0, y1) - radius, max(x0, x1) + radius, max(y0, y1) + radius)
    }
  }

  /// Fraction of the 1 mm pixel centred at (x, y) covered by the shape: 0.5 − d/1 mm clamped to
  /// [0, 1], d the (estimated) signed distance to the edge, negative inside.
  @inline(__always) func coverage(x: Double, y: Double) -> Double {
    switch self {
    case .ellipse(let cx, let cy, let a, let b, let c, let s):
      let px = x - cx, py = y - cy
      return Self.clampCoverage(-Self.ellipseDistance(c * px + s * py, -s * px + c * py, a, b))
    case .capsule(let x0, let y0, let x1, let y1, let radius):
      let dx = x1 - x0, dy = y1 - y0
      let lengthSquared = dx * dx + dy * dy
      let t = lengthSquared > 0 ? min(1, max(0, ((x - x0) * dx + (y - y0) * dy) / lengthSquared)) : 0
      let ex = x - (x0 + t * dx), ey = y - (y0 + t * dy)
      return Self.clampCoverage(radius - (ex * ex + ey * ey).squareRoot())
    }
  }

  @inline(__always) static func clampCoverage(_ inside: Double) -> Double {
    min(1, max(0, 0.5 + inside))
  }

  /// First-order signed distance to an axis-aligned ellipse: F/|∇F| with F = √(x²/a² + y²/b²) − 1.
  @inline(__always) static func ellipseDistance(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> Double {
    let qx = x / a, qy = y / b
    let g = (qx * qx + qy * qy).squareRoot()
    guard g > 1e-9 else { return -min(a, b) }
    let gradient = ((qx / a) * (qx / a) + (qy / b) * (qy / b)).squareRoot() / g
    return (g - 1) / gradient
  }

  /// First-order signed distance to the superellipse |x/a|^2.5 + |y/b|^2.5 = 1 (the neck outline:
  /// squarer than an ellipse): F/|∇F| with F = G^(1/2.5) − 1.
  @inline(__always) static func neckDistance(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> Double {
    let qx = abs(x) / a, qy = abs(y) / b
    let px = qx * qx * qx.squareRoot(), py = qy * qy * qy.squareRoot()   // q^2.5
    let g = px + py
    guard g > 1e-12 else { return -min(a, b) }
    let f = pow(g, 0.4)
    // ∂F/∂x = G^(1/n − 1) · qx^(n − 1) / a = (f / g) · qx^1.5 / a, likewise for y.
    let scale = f / g
    let dx = scale * qx * qx.squareRoot() / a, dy = scale * qy * qy.squareRoot() / b
    let gradient = (dx * dx + dy * dy).squareRoot()
    return gradient > 1e-12 ? (f - 1) / gradient : (f - 1) * min(a, b)
  }
}
