// ModelInput: a patient's preprocessed crop (DESIGN §4 steps 1–5), what models and features see.

/// The model input of one patient: 3×64×64 values x in [−1, 1] and the GTV mask crop, [c][y][x].
public struct ModelInput: Sendable, Equatable {
  public static let channels = 3
  public static let side = 64
  public static let count = channels * side * side

  /// x = (clamp(HU, −160, 240) − 40) / 200, channels z*−1, z*, z*+1.
  public var x: [Float]
  /// Mask crop, 0 or 1.
  public var mask: [Float]
  /// Slice thickness s_z in mm (for shape.volume).
  public var sliceThickness: Double
  /// Where the crop came from on the 1 mm in-plane grid: centre slice z* and centre row/column.
  public var centre: (z: Int, y: Int, x: Int)

  public init(x: [Float], mask: [Float], sliceThickness: Double, centre: (z: Int, y: Int, x: Int)) {
    precondition(x.count == ModelInput.count && mask.count == ModelInput.count, "a model input is 3×64×64")
    self.x = x; self.mask = mask; self.sliceThickness = sliceThickness; self.centre = centre
  }

  public static func == (a: ModelInput, b: ModelInput) -> Bool {
    a.x == b.x && a.mask == b.mask && a.sliceThickness == b.sliceThickness && a.centre == b.centre
  }
}
