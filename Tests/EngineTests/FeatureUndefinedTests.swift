// Features say when they are undefined, and why, instead of returning a silent 0.
import Testing
import Engine

@Suite struct FeatureUndefinedTests {
  func reason(_ name: String, _ input: FeatureInput) -> String? {
    FeatureCatalog.named(name)?.evaluate(input).undefinedReason
  }

  @Test func emptyMaskLeavesEveryFeatureUndefined() {
    let input = FeatureInput(x: FeatureTestInputs.reference().x, mask: [Float](repeating: 0, count: FeatureInput.count))
    for value in FeatureCatalog.evaluate(FeatureCatalog.all, on: input) {
      #expect(value.undefinedReason == "empty mask")
      #expect(value.value == nil && value.gradient == nil)
    }
  }

  @Test func nonFiniteInputLeavesEveryFeatureUndefined() {
    var x = FeatureTestInputs.reference().x
    x[5] = .nan
    let input = FeatureInput(x: x, mask: FeatureTestInputs.reference().mask)
    for value in FeatureCatalog.evaluate(FeatureCatalog.all, on: input) {
      #expect(value.undefinedReason == "x has non-finite values")
    }
  }

  @Test func uniformTumourHasNoSpreadButHasAShape() {
    let input = FeatureTestInputs.brightSquare()
    for name in ["intensity.std", "intensity.skewness", "intensity.kurtosis"] {
      #expect(reason(name, input)?.hasPrefix("zero variance") == true, "\(name)")
    }
    #expect(FeatureCatalog.named("intensity.mean")?.evaluate(input).value == 1)
    // A square is isotropic: its elongation is 1 but has no gradient there.
    #expect(reason("shape.elongation", input)?.hasPrefix("isotropic") == true)
    #expect(FeatureCatalog.named("shape.circularity")?.evaluate(input).value != nil)
  }

  @Test func isolatedVoxelsHaveNoContrast() {
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    mask[FeatureInput.index(c: 1, y: 30, x: 30)] = 1
    mask[FeatureInput.index(c: 1, y: 31, x: 31)] = 1   // diagonal: not a 4-neighbour
    let input = FeatureInput(x: FeatureTestInputs.reference().x, mask: mask)
    #expect(reason("texture.contrast", input) == "no two 4-neighbouring voxels inside the mask")
  }

  @Test func maskOffTheCentreSliceLeavesInPlaneFeaturesUndefined() {
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    FeatureTestInputs.fill(&mask, c: 0, rows: 30...33, columns: 30...34)
    let input = FeatureInput(x: FeatureTestInputs.reference().x, mask: mask)
    for name in ["shape.area", "shape.perimeter", "shape.circularity", "shape.elongation", "position.x", "position.y"] {
      #expect(reason(name, input) == "no mask on the centre slice", "\(name)")
    }
    #expect(FeatureCatalog.named("shape.volume")?.evaluate(input).value != nil)
  }

  @Test func maskFillingItsSlicesHasNoRing() {
    let input = FeatureInput(x: FeatureTestInputs.reference().x, mask: [Float](repeating: 1, count: FeatureInput.count))
    #expect(reason("shape.volume", input) == "no ring around the mask (it fills its slices)")
    #expect(FeatureCatalog.named("intensity.mean")?.evaluate(input).value != nil)
  }

  @Test func flatOccupancyHasZeroPerimeter() {
    // x far below t everywhere on the centre slice's M ∪ R makes s underflow to exactly 0 there.
    var x = [Float](repeating: 0, count: FeatureInput.count)
    var mask = [Float](repeating: 0, count: FeatureInput.count)
    for c in 0..<3 { FeatureTestInputs.fill(&mask, c: c, rows: 30...33, columns: 30...33) }
    for i in 0..<FeatureInput.count where i / FeatureInput.plane != 1 && mask[i] > 0 { x[i] = 1e30 }
    for i in FeatureInput.plane..<(2 * FeatureInput.plane) { x[i] = -1e30 }
    let input = FeatureInput(x: x, mask: mask)
    #expect(reason("shape.perimeter", input) == "zero perimeter")
    #expect(reason("shape.circularity", input) == "zero perimeter")
  }

  @Test func nonPositiveSliceThicknessLeavesVolumeUndefined() {
    let input = FeatureTestInputs.reference(sliceThickness: 0)
    #expect(reason("shape.volume", input)?.contains("not positive") == true)
    #expect(FeatureCatalog.named("shape.area")?.evaluate(input).value != nil)
  }
}
