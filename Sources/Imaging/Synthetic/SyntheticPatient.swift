// SyntheticPatient: everything drawn for one synthetic patient before any voxel exists — anatomy
// variations, the tumour (size, shape, texture, position, intensity), nodes, clinical columns and
// the DM label — from the patient's own random stream, so any patient is made on its own.

import Common
import Glibc

/// The drawn parameters and ground truth of one synthetic patient.
public struct SyntheticPatient: Sendable {
  /// 0-based position in the cohort.
  public let index: Int
  public let id: String

  // Ground truth (cohort.csv extra columns).
  /// Tumour volume in mm³ (the exact integral of the clipped radial shape).
  public let trueVolume: Double
  /// Relative RMS deviation of the tumour radius from a sphere.
  public let trueIrregularity: Double
  /// Strength of the interior texture and necrosis, in [0, 1].
  public let trueHeterogeneity: Double
  /// DM probability from `MetastasisRule`.
  public let risk: Double
  public let label: Int
  /// Negative controls: mean tumour HU and the tumour centre (LPS world mm).
  public let tumourMeanHU: Double
  public let tumourCentre: SIMD3<Double>

  // Clinical columns.
  public let age: Int
  public let sex: String
  public let tStage: String
  public let nStage: String
  public let hpv: String

  // Generation inputs.
  package let anatomy: NeckAnatomy
  package let tumour: TumourShape
  let interiorTexture: TumourInterior
  let nodes: [LymphNode]
  /// Number of enlarged lymph nodes drawn (from the N stage).
  package var nodeCount: Int { nodes.count }

  /// Random streams of patient `index` under cohort seed `seed`: drawn parameters, image noise and
  /// tumour texture each have their own stream, so one never shifts another.
  static func parameterStream(seed: UInt64, index: Int) -> SeededRandom { SeededRandom(seed: seed, stream: 3 * UInt64(index) + 1) }
  static func noiseStream(seed: UInt64, index: Int) -> SeededRandom { SeededRandom(seed: seed, stream: 3 * UInt64(index) + 2) }
  static func textureStream(seed: UInt64, index: Int) -> SeededRandom { SeededRandom(seed: seed, stream: 3 * UInt64(index) + 3) }

  /// The patient's identifier: "SYN-0001" for index 0 (at least four digits).
  static func identifier(index: Int, count: Int) -> String {
    let digits = max(4, String(count).count)
    let number = String(index + 1)
    return "SYN-" + String(repeating: "0", count: max(0, digits - number.count)) + number
  }

  /// Draws patient `index` of a cohort of `count` (the count only sets the width of the id).
  init(seed: UInt64, index: Int, count: Int) {
    var random = Self.parameterStream(seed: seed, index: index)
    self.index = index
    id = Self.identifier(index: index, count: count)
    let grid = SyntheticGeometry.grid

    let anatomy = NeckAnatomy(random: &random)
    self.anatomy = anatomy

    // Size: equivalent-sphere diameter, ln D ~ N(ln 24 mm, 0.30) truncated to 10 … 48 mm.
    var diameter = 0.0
    repeat { diameter = exp(log(24) + 0.30 * random.normal()) } while diameter < 10 || diameter > 48
    let targetVolume = Double.pi / 6 * diameter * diameter * diameter
    let amplitude = random.uniform(0.02, 0.30)
    let heterogeneity = random.uniform()
    let meanHU = random.uniform(85, 125)
    // Position (independent of everything else): beside the oro/hypopharyngeal airway.
    let side: Double = random.uniform() < 0.5 ? -1 : 1
    let lateral = side * random.uniform(3, 15)
    let anteroposterior = random.uniform(-28, -14)
    let height = random.uniform(33, 48)
    var harmonics: [TumourShape.Harmonic] = []
    for _ in 0..<10 {
      let mu = random.uniform(-1, 1), angle = random.uniform(0, 2 * Double.pi)
      let ring = (1 - mu * mu).squareRoot()
      harmonics.append(TumourShape.Harmonic(direction: SIMD3(ring * cos(angle), ring * sin(angle), mu),
                                            frequency: random.uniform(3, 7), phase: random.uniform(0, 2 * Double.pi),
                                            weight: random.uniform(0.5, 1)))
    }
    let centre = SIMD3(anatomy.centreX + lateral, anatomy.centreY + anteroposterior, height)
    var shape = TumourShape(centre: centre, scale: 1, amplitude: amplitude, harmonics: harmonics,
                            fasciaY: anatomy.centreY + anatomy.fasciaV,
                            limitCentre: SIMD2(anatomy.centreX, anatomy.centreY),
                            limitSemiAxes: anatomy.deepCompartmentSemiAxes,
                            zLimits: 3.0...(Double(grid.nz - 1) * grid.spacing.z - 3), spacing: grid.spacing)
    (trueVolume, trueIrregularity) = shape.fit(targetVolume: targetVolume)
    tumour = shape
    trueHeterogeneity = heterogeneity
    tumourMeanHU = meanHU
    tumourCentre = SyntheticGeometry.world(centre)
    interiorTexture = TumourInterior(random: &random, shape: shape, heterogeneity: heterogeneity, meanHU: meanHU)

    risk = MetastasisRule.probability(volume: trueVolume, irregularity: trueIrregularity, heterogeneity: heterogeneity)
    label = random.uniform() < risk ? 1 : 0

    // Clinical columns. T stage from the largest diameter, estimated as 1.25 × the equivalent
    // diameter (T1 ≤ 20 mm, T2 ≤ 40 mm, T3 ≤ 55 mm, T4 beyond); the others are independent of DM.
    let equivalentDiameter = cbrt(6 * trueVolume / Double.pi)
    let largest = 1.25 * equivalentDiameter
    tStage = largest <= 20 ? "T1" : largest <= 40 ? "T2" : largest <= 55 ? "T3" : "T4"
    let nDraw = random.uniform()
    nStage = nDraw < 0.30 ? "N0" : nDraw < 0.55 ? "N1" : nDraw < 0.95 ? "N2" : "N3"
    hpv = random.uniform() < 0.55 ? "positive" : "negative"
    sex = random.uniform() < 0.8 ? "M" : "F"
    age = Int(min(88, max(35, 62 + 9 * random.normal())).rounded())
    nodes = LymphNode.draw(random: &random, nStage: nStage, tumourSide: side, anatomy: anatomy)
  }

  /// The extra cohort.csv columns of this patient, in `SyntheticCohort.extraColumns` order.
  var extraValues: [String] {
    [String(age), sex, tStage, nStage, hpv,
     Self.format(trueVolume, decimals: 1), Self.format(trueIrregularity, decimals: 4),
     Self.format(trueHeterogeneity, decimals: 4), Self.format(risk, decimals: 4),
     Self.format(tumourMeanHU, decimals: 1),
     Self.format(tumourCentre.x, decimals: 1), Self.format(tumourCentre.y, decimals: 1), Self.format(tumourCentre.z, decimals: 1)]
  }

  /// Fixed-point decimal text without Foundation, e.g. format(3.14159, decimals: 2) = "3.14".
  static func format(_ value: Double, decimals: Int) -> String {
    let factor = Double((0..<decimals).reduce(1) { r, _ in r * 10 })
    let scaled = (abs(value) * factor).rounded()
    let whole = Int(scaled / factor), fraction = Int(scaled - Double(whole) * factor)
    var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
    if decimals > 0 {
      let digits = String(fraction)
      text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return text
  }
}
