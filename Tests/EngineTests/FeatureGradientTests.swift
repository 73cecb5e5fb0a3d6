// Every feature's gradient against central finite differences evaluated in Double, on seeded random
// inputs with small masks. The occupancy constants t and p are held at their values at x while x is
// perturbed: the feature's gradient treats them as constants (DESIGN §5), so the oracle must too.
import Testing
import Engine

@Suite struct FeatureGradientTests {
  /// Step of the central difference (x is O(1); the sigmoid edge is 0.1 wide).
  static let step = 1e-6
  /// |analytic − finite difference| ≤ tolerance · (1 + max |analytic|) on every coordinate checked.
  static let tolerance = 1e-6

  @Test(arguments: FeatureCatalog.names)
  func gradientMatchesCentralDifferences(_ name: String) throws {
    let feature = try #require(FeatureCatalog.named(name))
    var worst = 0.0
    var checked = 0
    for seed: UInt64 in [11, 12] {   // one tumour brighter than its ring, one darker
      let input = FeatureTestInputs.random(seed: seed)
      let x = input.x.map { Double($0) }
      let base = feature.evaluateInDouble(x: x, mask: input.mask, sliceThickness: input.sliceThickness)
      guard case .defined(_, let gradient) = base else {
        Issue.record("\(name) undefined on random input \(seed): \(String(describing: base))")
        continue
      }
      let constants = FeatureTestSupport.occupancyConstants(input)
      let scale = 1 + gradient.map(abs).max()!
      // Every coordinate the gradient touches, plus every 97th other one (where it must be 0).
      let coordinates = (0..<FeatureInput.count).filter { gradient[$0] != 0 || $0 % 97 == 0 }
      for i in coordinates {
        var plus = x, minus = x
        plus[i] += Self.step
        minus[i] -= Self.step
        guard let up = feature.evaluateInDouble(x: plus, mask: input.mask, sliceThickness: input.sliceThickness,
                                                occupancyConstants: constants).valueIfDefined,
              let down = feature.evaluateInDouble(x: minus, mask: input.mask, sliceThickness: input.sliceThickness,
                                                  occupancyConstants: constants).valueIfDefined
        else {
          Issue.record("\(name) undefined next to random input \(seed)")
          break
        }
        let difference = abs((up - down) / (2 * Self.step) - gradient[i]) / scale
        worst = max(worst, difference)
        checked += 1
      }
    }
    print("\(name): \(checked) coordinates, max |analytic − central difference| / (1 + max|∇|) = \(worst)")
    #expect(worst < Self.tolerance, "\(name)")
    #expect(checked > 200)
  }

  /// The random inputs cover tumours brighter and darker than their ring (p = +1 and −1), and the
  /// oracle's independent t and p agree with numpy's on the reference input (t = 0.12275910282086638, p = 1).
  @Test func oracleConstantsCoverBothPolaritiesAndMatchNumpy() {
    let polarities = Set([11, 12].map { FeatureTestSupport.occupancyConstants(FeatureTestInputs.random(seed: $0)).polarity })
    #expect(polarities == [1, -1], "\([11, 12, 13].map { FeatureTestSupport.occupancyConstants(FeatureTestInputs.random(seed: $0)).polarity })")
    let reference = FeatureTestSupport.occupancyConstants(FeatureTestInputs.reference())
    #expect(abs(reference.threshold - 0.12275910282086638) < 1e-15 && reference.polarity == 1)
  }

  @Test func publicGradientIsTheDoubleGradientRoundedToFloat() {
    let input = FeatureTestInputs.random(seed: 21)
    for feature in FeatureCatalog.all {
      guard case .defined(let value, let gradient) = feature.evaluate(input),
            case .defined(let doubleValue, let doubleGradient) =
              feature.evaluateInDouble(x: input.x.map { Double($0) }, mask: input.mask, sliceThickness: input.sliceThickness)
      else { Issue.record("\(feature.name) undefined"); continue }
      #expect(value == doubleValue)
      #expect(gradient == doubleGradient.map { Float($0) })
    }
  }
}

enum FeatureTestSupport {
  /// t and p as DESIGN §5 defines them, computed here independently of the implementation (ring by a
  /// direct 7×7 scan) so that the oracle's frozen constants do not come from the code under test.
  static func occupancyConstants(_ input: FeatureInput) -> OccupancyConstants {
    var maskSum = 0.0, maskCount = 0.0, ringSum = 0.0, ringCount = 0.0
    for c in 0..<3 {
      for y in 0..<64 {
        for x in 0..<64 {
          let i = FeatureInput.index(c: c, y: y, x: x)
          if input.mask[i] >= 0.5 {
            maskSum += Double(input.x[i]); maskCount += 1
            continue
          }
          var near = false
          for yy in max(0, y - 3)...min(63, y + 3) {
            for xx in max(0, x - 3)...min(63, x + 3) where input.mask[FeatureInput.index(c: c, y: yy, x: xx)] >= 0.5 {
              near = true
            }
          }
          if near { ringSum += Double(input.x[i]); ringCount += 1 }
        }
      }
    }
    let maskMean = maskSum / maskCount, ringMean = ringSum / ringCount
    return OccupancyConstants(threshold: (maskMean + ringMean) / 2, polarity: maskMean >= ringMean ? 1 : -1)
  }
}

extension FeatureResult {
  var valueIfDefined: Double? {
    if case .defined(let value, _) = self { return value }
    return nil
  }
}
