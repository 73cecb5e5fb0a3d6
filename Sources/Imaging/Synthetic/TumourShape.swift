// TumourShape: the primary tumour's 3-D geometry. A star-shaped body around its centre whose radius
// in direction u is R · φ(u), φ a smooth random function of u (sums of sines of u·d_j) scaled by
// the irregularity; clipped where real tumours stop: the prevertebral fascia (a plane) and the
// subcutaneous fat (an elliptic cylinder). Its volume and irregularity are integrated over the
// unit sphere, so a patient's ground truth is known without generating the volume.

import Glibc

package struct TumourShape: Sendable {
  /// One lobe-making term of the radial function: weight · sin(frequency · (u · direction) + phase).
  struct Harmonic: Sendable {
    var direction: SIMD3<Double>
    var frequency: Double
    var phase: Double
    var weight: Double
  }

  /// Centre in image millimetres (x = column · spacing, y = row · spacing, z = slice · spacing).
  package var centre: SIMD3<Double>
  /// Radius scale R (mm), fitted so that the clipped volume matches the drawn volume.
  package var scale: Double
  /// Amplitude a of the relative radial deviation (φ ≈ 1 + a·N̂ for small a).
  var amplitude: Double
  var harmonics: [Harmonic]
  /// Mean and standard deviation of the raw harmonic sum over the sphere (N̂ = (N − mean) / sd).
  var harmonicMean: Double = 0
  var harmonicDeviation: Double = 1
  /// The tumour stays anterior to this plane: y ≤ fasciaY (the prevertebral fascia).
  var fasciaY: Double
  /// …inside this elliptic cylinder (the inner surface of the subcutaneous fat)…
  var limitCentre: SIMD2<Double>
  var limitSemiAxes: SIMD2<Double>
  /// …and between these heights (inside the scanned range).
  var zLimits: ClosedRange<Double>
  /// Voxel size (mm), for partial-volume widths.
  var spacing: SIMD3<Double>

  // MARK: the radial function

  @inline(__always) func rawHarmonics(_ u: SIMD3<Double>) -> Double {
    var sum = 0.0
    for h in harmonics {
      sum += h.weight * sin(h.frequency * (u * h.direction).sum() + h.phase)
    }
    return sum
  }

  /// φ(u) = 1 + ½ tanh(2a N̂(u)): ≈ 1 + a N̂ for small deviations, always within (0.5, 1.5).
  @inline(__always) func radialFactor(_ u: SIMD3<Double>) -> Double {
    1 + 0.5 * tanh(2 * amplitude * (rawHarmonics(u) - harmonicMean) / harmonicDeviation)
  }

  // MARK: inside, distance and partial volume

  /// Signed distance estimate to the surface (mm, negative inside) at `point`, and the extent of a
  /// voxel across that surface (for partial volume: coverage = clamp(0.5 − d / width, 0, 1)).
  func signedDistance(_ point: SIMD3<Double>) -> (distance: Double, width: Double) {
    let delta = point - centre
    let rho = (delta * delta).sum().squareRoot()
    var distance: Double, width: Double
    if rho < 1e-9 {
      distance = -0.5 * scale
      width = spacing.x
    } else {
      let u = delta / rho
      distance = rho - scale * radialFactor(u)
      width = abs(u.x) * spacing.x + abs(u.y) * spacing.y + abs(u.z) * spacing.z
    }
    let fascia = point.y - fasciaY
    if fascia > distance { distance = fascia; width = spacing.y }
    let e = point - SIMD3(limitCentre.x, limitCentre.y, point.z)
    let cylinder = PhantomShape.ellipseDistance(e.x, e.y, limitSemiAxes.x, limitSemiAxes.y)
    if cylinder > distance { distance = cylinder; width = min(spacing.x, spacing.y) }
    let height = max(zLimits.lowerBound - point.z, point.z - zLimits.upperBound)
    if height > distance { distance = height; width = spacing.z }
    return (distance, width)
  }

  /// Whether `point` is inside the tumour (its GTV): on or inside every bounding surface.
  package func contains(_ point: SIMD3<Double>) -> Bool { signedDistance(point).distance <= 0 }

  /// Largest distance from the centre any part of the tumour can reach (mm).
  package var reach: Double { 1.5 * scale }

  // MARK: integrals over the sphere

  /// Equal-area directions: midpoints of 24 bands in cos θ × 48 sectors in azimuth.
  static let sphere: [SIMD3<Double>] = {
    let bands = 24, sectors = 48
    var directions: [SIMD3<Double>] = []
    directions.reserveCapacity(bands * sectors)
    for i in 0..<bands {
      let mu = -1 + (Double(i) + 0.5) * 2 / Double(bands)
      let ring = (1 - mu * mu).squareRoot()
      for j in 0..<sectors {
        let phi = (Double(j) + 0.5) * 2 * Double.pi / Double(sectors)
        directions.append(SIMD3(ring * cos(phi), ring * sin(phi), mu))
      }
    }
    return directions
  }()

  /// Distance from the centre to the clipping surfaces along u (∞ if none is met).
  func clipDistance(_ u: SIMD3<Double>) -> Double {
    var limit = Double.infinity
    if u.y > 1e-12 { limit = min(limit, (fasciaY - centre.y) / u.y) }
    if u.z > 1e-12 { limit = min(limit, (zLimits.upperBound - centre.z) / u.z) }
    if u.z < -1e-12 { limit = min(limit, (zLimits.lowerBound - centre.z) / u.z) }
    // Ray against the elliptic cylinder: a t² + b t + c = 0 with c < 0 when the centre is inside.
    let ox = (centre.x - limitCentre.x) / limitSemiAxes.x, oy = (centre.y - limitCentre.y) / limitSemiAxes.y
    let dx = u.x / limitSemiAxes.x, dy = u.y / limitSemiAxes.y
    let a = dx * dx + dy * dy, b = 2 * (ox * dx + oy * dy), c = ox * ox + oy * oy - 1
    if a > 1e-15 {
      let discriminant = b * b - 4 * a * c
      if discriminant >= 0 { limit = min(limit, (-b + discriminant.squareRoot()) / (2 * a)) }
    }
    return max(0, limit)
  }

  /// Fixes the shape's free constants and returns its true volume and irregularity:
  /// 1. the harmonic sum is normalized to zero mean and unit deviation over the sphere;
  /// 2. the irregularity is the standard deviation of φ over the sphere relative to its mean (the
  ///    relative RMS deviation of the unclipped radius from a sphere);
  /// 3. the scale R is set so that the clipped volume V(R) = ∫ min(R φ(u), clip(u))³ / 3 dΩ equals
  ///    `targetVolume` mm³ (as near as clipping allows with R at most 1.6 × the radius of a sphere
  ///    of that volume). Integrals use the equal-area rule on `sphere`.
  mutating func fit(targetVolume: Double) -> (volume: Double, irregularity: Double) {
    let raw = Self.sphere.map(rawHarmonics)
    let count = Double(raw.count)
    let mean = raw.reduce(0, +) / count
    let variance = raw.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
    harmonicMean = mean
    harmonicDeviation = variance > 1e-18 ? variance.squareRoot() : 1
    let factors = raw.map { 1 + 0.5 * tanh(2 * amplitude * ($0 - harmonicMean) / harmonicDeviation) }
    let factorMean = factors.reduce(0, +) / count
    let factorVariance = factors.reduce(0) { $0 + ($1 - factorMean) * ($1 - factorMean) } / count
    let irregularity = factorVariance.squareRoot() / factorMean

    let limits = Self.sphere.map(clipDistance)
    let weight = 4 * Double.pi / count / 3
    func volume(_ r: Double) -> Double {
      var sum = 0.0
      for i in factors.indices {
        let extent = min(r * factors[i], limits[i])
        sum += extent * extent * extent
      }
      return sum * weight
    }
    let sphereRadius = cbrt(3 * targetVolume / (4 * Double.pi))
    var low = 0.0, high = 1.6 * sphereRadius
    if volume(high) > targetVolume {
      for _ in 0..<50 {
        let mid = (low + high) / 2
        if volume(mid) < targetVolume { low = mid } else { high = mid }
      }
    }
    scale = high
    return (volume(scale), irregularity)
  }
}
