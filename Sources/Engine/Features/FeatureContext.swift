// FeatureContext: one input prepared for feature evaluation. It holds x in Double (feature sums
// are long) and the mask membership, and computes the intermediates several features share (the
// soft occupancy of the shape and position features) once, on first use.

/// One input being evaluated. Not thread-safe: one context per input per thread.
package final class FeatureContext {
  /// The input as given (custom features receive it unchanged).
  package let input: FeatureInput
  /// x in Double.
  package let x: [Double]
  /// inMask[i]: voxel i belongs to M (mask ≥ 0.5).
  package let inMask: [Bool]
  /// Flat indices of M, ascending.
  package let maskIndices: [Int]
  /// Voxels of M on the centre channel.
  package let centreMaskCount: Int
  /// Set by the gradient tests to hold t and p fixed while x is perturbed (the feature's gradient
  /// treats them as constants, so a finite-difference oracle must too).
  package let frozenOccupancyConstants: OccupancyConstants?

  package convenience init(input: FeatureInput) {
    self.init(input: input, x: input.x.map { Double($0) }, frozenOccupancyConstants: nil)
  }

  /// A context on x given in Double (finite-difference oracles), optionally with t and p fixed.
  package convenience init(x: [Double], mask: [Float], sliceThickness: Double,
                           frozenOccupancyConstants: OccupancyConstants? = nil) {
    let input = FeatureInput(x: x.map { Float($0) }, mask: mask, sliceThickness: sliceThickness)
    self.init(input: input, x: x, frozenOccupancyConstants: frozenOccupancyConstants)
  }

  private init(input: FeatureInput, x: [Double], frozenOccupancyConstants: OccupancyConstants?) {
    precondition(x.count == FeatureInput.count)
    self.input = input
    self.x = x
    self.frozenOccupancyConstants = frozenOccupancyConstants
    inMask = input.mask.map { $0 >= 0.5 }
    var indices: [Int] = []
    for i in 0..<FeatureInput.count where inMask[i] { indices.append(i) }
    maskIndices = indices
    let centre = FeatureInput.centreChannel * FeatureInput.plane
    centreMaskCount = indices.lazy.filter { $0 >= centre && $0 < centre + FeatureInput.plane }.count
  }

  /// Why no catalogue feature can be computed on this input at all, or nil.
  package private(set) lazy var inputProblem: String? = {
    if !x.allSatisfy({ $0.isFinite }) { return "x has non-finite values" }
    if maskIndices.isEmpty { return "empty mask" }
    return nil
  }()

  /// The soft occupancy s of DESIGN §5 (or why it cannot be built).
  package private(set) lazy var occupancy: Result<SoftOccupancy, UndefinedFeature> = {
    if let problem = inputProblem { return .failure(UndefinedFeature(problem)) }
    return SoftOccupancy.make(self)
  }()

  /// A zero gradient to fill.
  @inline(__always) package func zeroGradient() -> [Double] {
    [Double](repeating: 0, count: FeatureInput.count)
  }
}

/// Why a shared intermediate could not be computed; becomes the features' undefined reason.
package struct UndefinedFeature: Error {
  package var reason: String
  package init(_ reason: String) { self.reason = reason }
}
