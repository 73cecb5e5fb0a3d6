// NeckAnatomy: one patient's neck from the level of C6 (bottom slice, larynx) to C2/C3 (top slice,
// oropharynx), as the list of tissues painted on each axial slice: skin, subcutaneous fat, platysma,
// muscles, submandibular glands, pharynx and airway, thyroid cartilage and hyoid, the cervical
// vertebra with its discs, canal and cord, carotid arteries and jugular veins. Positions are in mm
// around the neck centre: u toward the patient's left (image right), v toward posterior (image down).

import Common
import Glibc

/// A tissue painted over what lies beneath: value ← value · (1 − f) + hu · f with f = alpha × coverage.
struct PaintedStructure: Sendable {
  var shape: PhantomShape
  var hu: Double
  var alpha: Double = 1
  /// Confined to the deep neck (inside the subcutaneous fat), as muscles are.
  var deep: Bool = false
}

/// The skin outline of one slice and the layers under it: skin (2.5 mm), subcutaneous fat, and the
/// platysma (1.5 mm of muscle under the fat, anterolateral only).
struct NeckOutline: Sendable {
  var cx: Double, cy: Double, a: Double, b: Double
  var fatThickness: Double
  var skinHU: Double, fatHU: Double, muscleHU: Double
  static let skinThickness = 2.5, platysmaThickness = 1.5
  /// Depth below the skin where the deep neck begins.
  var deepInset: Double { Self.skinThickness + fatThickness }
}

/// Everything painted on one slice: the outline's layers, then the structures in order.
struct SliceLayout: Sendable {
  var outline: NeckOutline
  var structures: [PaintedStructure]
}

package struct NeckAnatomy: Sendable {
  /// Neck centre in image mm.
  var centreX: Double, centreY: Double
  /// Skin outline: superellipse semi-axes at mid-height (lateral, anteroposterior) and the phase
  /// of their slow change with height.
  var neckA: Double, neckB: Double, neckWobble: Double
  var fatThickness: Double
  var skinHU: Double, fatHU: Double, muscleHU: Double, glandHU: Double, csfHU: Double, cordHU: Double
  var cancellousHU: Double, cartilageHU: Double
  var carotidHU: Double, jugularHU: Double
  /// +1 if the patient's left internal jugular vein is the larger one, −1 if the right.
  var dominantJugular: Double
  var airwayScale: Double, vertebraScale: Double
  /// Disc positions: discs of 5 mm every 19 mm, starting at `discPhase` mm.
  var discPhase: Double
  /// Heights (fraction of the scanned range) of the carotid bifurcation and the hyoid bone.
  var bifurcationLevel: Double, hyoidLevel: Double
  var spinousLength: Double
  /// Standard deviation of the image noise (HU).
  package var noiseSigma: Double

  init(random: inout SeededRandom) {
    centreX = Double(SyntheticGeometry.nx - 1) / 2 + random.uniform(-4, 4)
    centreY = Double(SyntheticGeometry.ny - 1) / 2 + random.uniform(-3, 3)
    neckA = random.uniform(57, 64)
    neckB = random.uniform(52, 58)
    neckWobble = random.uniform(0, 2 * Double.pi)
    fatThickness = random.uniform(4, 10)
    skinHU = random.uniform(20, 45)
    fatHU = random.uniform(-110, -85)
    muscleHU = random.uniform(45, 62)
    glandHU = random.uniform(30, 50)
    csfHU = random.uniform(2, 12)
    cordHU = random.uniform(30, 40)
    cancellousHU = random.uniform(180, 320)
    cartilageHU = random.uniform(120, 450)
    carotidHU = random.uniform(250, 380)
    jugularHU = random.uniform(150, 240)
    dominantJugular = random.uniform() < 0.7 ? -1 : 1      // the right is usually larger
    airwayScale = random.uniform(0.85, 1.15)
    vertebraScale = random.uniform(0.92, 1.08)
    discPhase = random.uniform(0, 19)
    bifurcationLevel = random.uniform(0.45, 0.7)
    hyoidLevel = random.uniform(0.5, 0.62)
    spinousLength = random.uniform(8, 14)
    noiseSigma = random.uniform(10, 18)
  }

  // MARK: derived geometry

  static let vertebraV = 10.0
  var vertebraSemiAxes: SIMD2<Double> { SIMD2(9.5, 8) * vertebraScale }
  /// The prevertebral fascia (v), just anterior to the longus muscles: tumours stop here.
  var fasciaV: Double { Self.vertebraV - vertebraSemiAxes.y - 5 }
  /// The deep compartment the tumour stays inside: the neck at its narrowest minus fat and skin.
  var deepCompartmentSemiAxes: SIMD2<Double> {
    SIMD2(neckA * 0.93 - 1.2 - NeckOutline.skinThickness - fatThickness - 3,
          neckB * 0.95 - NeckOutline.skinThickness - fatThickness - 3)
  }

  /// Skin outline semi-axes at height fraction s (0 = bottom slice, 1 = top).
  func neckSemiAxes(_ s: Double) -> (a: Double, b: Double) {
    (neckA * (0.93 + 0.09 * s) + 1.2 * sin(2 * Double.pi * s + neckWobble), neckB * (0.95 + 0.07 * s))
  }

  /// Airway centre v and semi-axes: wide oropharynx at the top, narrower larynx lower down.
  func airway(_ s: Double) -> (v: Double, a: Double, b: Double) {
    (-14 - 5 * (1 - s), airwayScale * (7 + 6 * s), airwayScale * (5.5 + 1.0 * (1 - s)))
  }

  /// Fraction of the slice [z − thickness/2, z + thickness/2] inside an intervertebral disc.
  func discFraction(z: Double) -> Double {
    let half = SyntheticGeometry.spacing.z / 2
    var covered = 0.0
    var start = discPhase - 19 * 10
    while start < z + half {
      covered += max(0, min(z + half, start + 5) - max(z - half, start))
      start += 19
    }
    return covered / (2 * half)
  }

  /// Fraction of the slice overlapping the interval [low, high] (mm).
  static func sliceOverlap(z: Double, low: Double, high: Double) -> Double {
    let half = SyntheticGeometry.spacing.z / 2
    return max(0, min(z + half, high) - max(z - half, low)) / (2 * half)
  }

  static func smoothstep(_ e0: Double, _ e1: Double, _ x: Double) -> Double {
    let t = min(1, max(0, (x - e0) / (e1 - e0)))
    return t * t * (3 - 2 * t)
  }

  // MARK: the slice

  /// The tissues of the axial slice at height z (image mm), bottom layer first. Vessels, nodes and
  /// the sternocleidomastoids are pushed aside by `tumour` when it would overlap them.
  func layout(z: Double, tumour: TumourShape?, nodes: [LymphNode]) -> SliceLayout {
    let s = z / SyntheticGeometry.height
    let (a, b) = neckSemiAxes(s)
    let outline = NeckOutline(cx: centreX, cy: centreY, a: a, b: b, fatThickness: fatThickness,
                              skinHU: skinHU, fatHU: fatHU, muscleHU: muscleHU)
    let kx = a / 58, ky = b / 54            // muscles and glands scale with the neck
    let cx = centreX, cy = centreY
    func scaled(_ u: Double, _ v: Double) -> (Double, Double) { (cx + u * kx, cy + v * ky) }
    func ellipse(_ u: Double, _ v: Double, _ ea: Double, _ eb: Double, angle: Double = 0, scale: Bool = true) -> PhantomShape {
      let (x, y) = scale ? scaled(u, v) : (cx + u, cy + v)
      return .ellipse(cx: x, cy: y, a: scale ? ea * kx : ea, b: scale ? eb * ky : eb, angle: angle)
    }
    func capsule(_ u0: Double, _ v0: Double, _ u1: Double, _ v1: Double, _ r: Double) -> PhantomShape {
      .capsule(x0: cx + u0, y0: cy + v0, x1: cx + u1, y1: cy + v1, radius: r)
    }
    var list: [PaintedStructure] = []
    func add(_ shape: PhantomShape, _ hu: Double, alpha: Double = 1, deep: Bool = false) {
      if alpha > 0 { list.append(PaintedStructure(shape: shape, hu: hu, alpha: alpha, deep: deep)) }
    }

    // Posterior and lateral muscles under the fat, with fat planes between them.
    for side in [-1.0, 1.0] {
      add(ellipse(side * 24, 47, 22, 5.5, angle: side * 0.3), muscleHU, deep: true)               // trapezius
      add(ellipse(side * 24, 30, 10, 13.5, angle: -side * 0.3), muscleHU + 3, deep: true)         // splenius, levator scapulae
      add(ellipse(side * 9.5, 34, 8, 11.5, angle: side * 0.1), muscleHU, deep: true)              // semispinalis
      add(ellipse(side * 29, 12, 7, 9, angle: side * 0.4), muscleHU - 2, deep: true)              // scalenes
    }
    // Submandibular glands toward the top.
    let glandAlpha = Self.smoothstep(0.55, 0.8, s)
    for side in [-1.0, 1.0] {
      add(ellipse(side * 27, -36, 11, 8, angle: side * 0.3), glandHU, alpha: glandAlpha, deep: true)
    }
    // Tongue base (top), pharyngeal constrictors, paraglottic tissue of the larynx (bottom). A
    // tumour narrows the airway by pushing it aside, but never behind the prevertebral fascia.
    let air = airway(s)
    let upper = Self.smoothstep(0.35, 0.6, s)
    add(ellipse(0, air.v - air.b - 7, 13 + 8 * s, 9 + 5 * s, scale: false), muscleHU + 4, alpha: upper)
    add(ellipse(0, air.v - 3, 14, 11, scale: false), muscleHU - 12, alpha: 1 - upper)
    var (airX, airY) = displaced(x: cx, y: cy + air.v, radius: air.b + 2, z: z, tumour: tumour)
    airY = min(airY, cy + fasciaV - air.b - 4)
    airX = cx + max(-12, min(12, airX - cx))
    let airU = airX - cx, airV = airY - cy
    add(ellipse(airU, airV, air.a + 4.5, air.b + 4, scale: false), muscleHU - 3)
    // Strap muscles in front of the larynx.
    for side in [-1.0, 1.0] {
      add(ellipse(side * 9, air.v - air.b - 12, 7, 2.5, angle: side * 0.35, scale: false), muscleHU,
          alpha: 1 - Self.smoothstep(0.35, 0.55, s), deep: true)
    }
    // Sternocleidomastoids (displaced by a large tumour), more anterior and medial low in the neck.
    for side in [-1.0, 1.0] {
      var (x, y) = scaled(side * (37 - 4 * (1 - s)), -12 - 6 * (1 - s))
      (x, y) = displaced(x: x, y: y, radius: 7, z: z, tumour: tumour)
      add(.ellipse(cx: x, cy: y, a: 6.5 * kx, b: 17 * ky, angle: -side * 0.6), muscleHU + 2, deep: true)
    }

    // The cervical vertebra: body (or disc), transverse processes with the vertebral arteries,
    // pedicles, laminae, spinous process; the canal with CSF and the cord.
    let vb = Self.vertebraV, axes = vertebraSemiAxes
    for side in [-1.0, 1.0] {
      add(ellipse(side * 6, vb - axes.y - 2.5, 5, 3, scale: false), muscleHU)                       // longus colli
      add(capsule(side * 7.5, vb + 1.5, side * 19, vb - 1, 2.6), 650)                                // transverse process
      add(ellipse(side * 13.5, vb + 0.5, 2.2, 2.2, scale: false), carotidHU)                         // vertebral artery
      add(capsule(side * 6.5, vb + 5, side * 8.5, vb + 12, 2.6), 700)                                // pedicle
      add(capsule(side * 8.5, vb + 12, 0, vb + 22, 2.2), 700)                                        // lamina
    }
    add(capsule(0, vb + 22, 0, vb + 22 + spinousLength * ky, 2.4), 700)                             // spinous process
    let disc = discFraction(z: z)
    add(ellipse(0, vb, axes.x, axes.y, scale: false), 1100, alpha: 1 - disc)                        // cortex
    add(ellipse(0, vb, axes.x - 1.6, axes.y - 1.6, scale: false), cancellousHU, alpha: 1 - disc)     // cancellous bone
    add(ellipse(0, vb, axes.x, axes.y, scale: false), 95, alpha: disc)                              // annulus
    add(ellipse(0, vb, axes.x - 3, axes.y - 3, scale: false), 75, alpha: disc)                      // nucleus
    add(ellipse(0, vb + 14.5, 7.5, 5.8, scale: false), csfHU)                                       // canal
    add(ellipse(0, vb + 14.2, 5, 3.6, scale: false), cordHU)                                        // cord

    // Thyroid cartilage (low), hyoid (one level), piriform sinuses, airway mucosa and lumen.
    let cartilageAlpha = 1 - Self.smoothstep(0.3, 0.45, s)
    for side in [-1.0, 1.0] {
      add(capsule(0, air.v - air.b - 6, side * 16, air.v + 3, 1.3), cartilageHU, alpha: cartilageAlpha)
    }
    let hyoidZ = hyoidLevel * SyntheticGeometry.height
    let hyoidAlpha = Self.sliceOverlap(z: z, low: hyoidZ - 2.5, high: hyoidZ + 2.5)
    add(capsule(-10, air.v - air.b - 10, 10, air.v - air.b - 10, 2.2), 600, alpha: hyoidAlpha)
    for side in [-1.0, 1.0] {
      add(capsule(side * 10, air.v - air.b - 10, side * 20, air.v - 2, 1.6), 600, alpha: hyoidAlpha)
    }
    let sinusAlpha = Self.smoothstep(0.15, 0.25, s) * (1 - Self.smoothstep(0.4, 0.5, s))
    for side in [-1.0, 1.0] {
      add(ellipse(airU + side * (air.a + 4), airV + 3, 2.5, 4, scale: false), -1000, alpha: sinusAlpha)
    }
    add(ellipse(airU, airV, air.a + 2, air.b + 2, scale: false), muscleHU + 15)                     // mucosa
    add(ellipse(airU, airV, air.a, air.b, scale: false), -1000)                                     // lumen

    // Lymph nodes, then the vessels of the carotid sheaths and the external jugular veins.
    for node in nodes {
      guard let section = node.section(z: z) else { continue }
      let (x, y) = displaced(x: cx + node.u, y: cy + node.v, radius: section, z: z, tumour: tumour)
      add(.ellipse(cx: x, cy: y, a: section, b: section * 0.85, angle: 0.3), node.hu, deep: true)
      if node.necroticCore && section > 5 {
        add(.ellipse(cx: x, cy: y, a: section * 0.5, b: section * 0.4, angle: 0.3), 18, deep: true)
      }
    }
    for side in [-1.0, 1.0] {
      var vessels: [(u: Double, v: Double, r: Double, hu: Double)] = []
      if s < bifurcationLevel {
        vessels.append((side * 19, vb - 14, 3.6, carotidHU))                         // common carotid
      } else {
        vessels.append((side * 20.5, vb - 12, 3.0, carotidHU))                       // internal carotid
        vessels.append((side * 15, vb - 19, 2.4, carotidHU))                         // external carotid
      }
      vessels.append((side * 27, vb - 11, side == dominantJugular ? 6.0 : 4.3, jugularHU))     // internal jugular
      vessels.append((side * (a - NeckOutline.skinThickness - fatThickness / 2), -4, 1.8, jugularHU - 20))  // external jugular
      for vessel in vessels {
        let (x, y) = displaced(x: cx + vessel.u, y: cy + vessel.v, radius: vessel.r, z: z, tumour: tumour)
        add(.ellipse(cx: x, cy: y, a: vessel.r, b: vessel.r * 0.92, angle: 0), vessel.hu)
      }
    }
    return SliceLayout(outline: outline, structures: list)
  }

  /// Points (image mm) deep inside known tissues of slice z, for checking the phantom's HU against
  /// textbook ranges: tissue name and position. Placed as `layout` places the tissues.
  package func landmarks(z: Double, tumour: TumourShape?) -> [(tissue: String, x: Double, y: Double)] {
    let s = z / SyntheticGeometry.height
    let (a, b) = neckSemiAxes(s)
    let kx = a / 58, ky = b / 54
    let cx = centreX, cy = centreY, vb = Self.vertebraV
    var points: [(tissue: String, x: Double, y: Double)] = [
      ("air", 3, 3),
      ("fat", cx + a - NeckOutline.skinThickness - fatThickness / 2, cy + 12),
      ("muscle", cx + 9.5 * kx, cy + 34 * ky),
      ("cord", cx, cy + vb + 14.2),
      ("csf", cx + 6.4, cy + vb + 14.5),
      ("bone", cx, cy + vb + 22 + spinousLength * ky / 2),
    ]
    let disc = discFraction(z: z)
    if disc == 0 { points.append(("cancellous", cx, cy + vb)) }
    if disc == 1 { points.append(("disc", cx, cy + vb)) }
    let air = airway(s)
    var (airX, airY) = displaced(x: cx, y: cy + air.v, radius: air.b + 2, z: z, tumour: tumour)
    airY = min(airY, cy + fasciaV - air.b - 4)
    airX = cx + max(-12, min(12, airX - cx))
    points.append(("airway", airX, airY))
    let carotid = s < bifurcationLevel ? (u: 19.0, v: vb - 14) : (u: 20.5, v: vb - 12)
    for side in [-1.0, 1.0] {
      let artery = displaced(x: cx + side * carotid.u, y: cy + carotid.v, radius: 3, z: z, tumour: tumour)
      points.append(("artery", artery.0, artery.1))
      let vein = displaced(x: cx + side * 27, y: cy + vb - 11, radius: side == dominantJugular ? 6.0 : 4.3, z: z, tumour: tumour)
      points.append(("vein", vein.0, vein.1))
    }
    return points
  }

  /// Where a round structure of `radius` centred at (x, y) on slice z ends up once the tumour has
  /// pushed it away from the tumour's axis, leaving 1.5 mm of fat between them.
  func displaced(x: Double, y: Double, radius: Double, z: Double, tumour: TumourShape?) -> (Double, Double) {
    guard let tumour else { return (x, y) }
    let origin = SIMD3(tumour.centre.x, tumour.centre.y, z)
    guard tumour.contains(origin) else { return (x, y) }
    var dx = x - origin.x, dy = y - origin.y
    var distance = (dx * dx + dy * dy).squareRoot()
    if distance < 1e-6 { dx = x >= centreX ? 1 : -1; dy = 0; distance = 1e-6 }
    let ux = dx / distance, uy = dy / distance
    // The tumour's edge along the ray (bisection; the body is star-shaped around its centre).
    var inside = 0.0, outside = tumour.reach + 1
    if tumour.contains(origin + SIMD3(ux * outside, uy * outside, 0)) { return (x, y) }
    for _ in 0..<24 {
      let mid = (inside + outside) / 2
      if tumour.contains(origin + SIMD3(ux * mid, uy * mid, 0)) { inside = mid } else { outside = mid }
    }
    let needed = outside + radius + 1.5
    guard distance < needed else { return (x, y) }
    return (origin.x + ux * needed, origin.y + uy * needed)
  }
}
