// LymphNode: enlarged cervical nodes along the jugular chain (levels II–III), as many and as large
// as the patient's N stage says. They are not part of the GTV (the primary's) and play no part in
// the DM rule: like position and intensity, they are something a sound model should not need.

import Common

struct LymphNode: Sendable {
  /// Centre relative to the neck centre (mm) and height (image mm).
  var u: Double, v: Double, z: Double
  /// In-plane radius and craniocaudal semi-axis (mm).
  var radius: Double, zRadius: Double
  var hu: Double
  /// Large nodes may have a necrotic (cystic) centre.
  var necroticCore: Bool

  /// In-plane radius of the node's cross-section at height z, nil if the slice misses it.
  func section(z: Double) -> Double? {
    let t = (z - self.z) / zRadius
    guard abs(t) < 1 else { return nil }
    let r = radius * (1 - t * t).squareRoot()
    return r > 0.5 ? r : nil
  }

  /// Nodes for an N stage: N0 none; N1 one ipsilateral node of 10–25 mm; N2 two or three of
  /// 10–25 mm, the last possibly contralateral; N3 one of 30–40 mm and one of 10–20 mm.
  static func draw(random: inout SeededRandom, nStage: String, tumourSide: Double, anatomy: NeckAnatomy) -> [LymphNode] {
    var diameters: [Double] = []
    switch nStage {
    case "N1": diameters = [random.uniform(10, 25)]
    case "N2": diameters = (0..<(2 + random.index(2))).map { _ in random.uniform(10, 25) }
    case "N3": diameters = [random.uniform(30, 40), random.uniform(10, 20)]
    default: break
    }
    let height = SyntheticGeometry.height
    return diameters.enumerated().map { i, diameter in
      let side = (i == 2 && random.uniform() < 0.5) ? -tumourSide : tumourSide
      let radius = diameter / 2
      // Lateral and posterior to the internal jugular vein (u ≈ ±27 mm, v ≈ vertebra − 11 mm).
      return LymphNode(u: side * (30 + radius * 0.6 + random.uniform(0, 4)),
                       v: NeckAnatomy.vertebraV - 11 + radius * 0.5 + random.uniform(-3, 5),
                       z: random.uniform(0.25, 0.8) * height,
                       radius: radius, zRadius: radius * random.uniform(1.0, 1.5),
                       hu: random.uniform(35, 55), necroticCore: diameter > 20 && random.uniform() < 0.6)
    }
  }
}
