// TensorInputs: the input file of `fgf analyze --tensors` and `fgf train --tensors`, for users
// who preprocess in Python. A safetensors file with
//   x           [N, C, H, W] float (required; the model's input shape; `input` is read when there
//               is no `x`, so a cohort dump of `fgf analyze --dump` is an input file as it is)
//   mask        [N, C, H, W] float or uint8 (optional; features need it)
//   label       [N] integer or float, 0/1 (optional; required for training)
//   split       [N] integer: 0 train, 1 validation, 2 test (optional)
//   slice_thickness [N] float, mm (optional; 1 mm otherwise; only shape.volume depends on it)
//   directions  [N, K, C, H, W] float (optional; penalty directions per sample)
// and optionally `fgf.patient_ids` in the metadata: a JSON array of N strings.

import Common
import Engine

public struct TensorInputs: Sendable {
  public var path: String
  public var count: Int
  /// [C, H, W] of one sample.
  public var sampleShape: [Int]
  public var x: [Float]
  public var mask: [Float]?
  public var labels: [Int]?
  public var splits: [Int]?
  /// s_z per sample, when given.
  public var sliceThickness: [Double]?
  /// Patient ids from the `fgf.patient_ids` metadata, when given.
  public var ids: [String]?
  /// Directions per sample (K each), or nil.
  public var directions: [DirectionSet]?

  public var sampleCount: Int { sampleShape.reduce(1, *) }

  /// Reads and checks the file.
  public static func read(_ path: String) throws(FileError) -> TensorInputs {
    let file = try SafetensorsFile.read(path)
    func fail(_ place: String, _ problem: String, hint: String? = nil) -> FileError {
      FileError(path: path, place: place, problem: problem, hint: hint)
    }
    let xName = file.entry("x") == nil && file.entry("input") != nil ? "input" : "x"
    guard let xEntry = file.entry(xName) else {
      throw fail("tensor x", "missing", hint: "the input file needs x [N, 3, 64, 64] float32")
    }
    guard xEntry.shape.count == 4, xEntry.shape[0] >= 1 else {
      throw fail("tensor \(xName)", "shape \(xEntry.shape), expected [N, C, H, W] with N ≥ 1")
    }
    guard [.f32, .f64, .f16, .bf16].contains(xEntry.dtype) else {
      throw fail("tensor \(xName)", "dtype \(xEntry.dtype.rawValue), expected a float type")
    }
    let n = xEntry.shape[0]
    let sample = Array(xEntry.shape.dropFirst())
    var inputs = TensorInputs(path: path, count: n, sampleShape: sample, x: try file.floats(xName).values)
    guard inputs.x.allSatisfy(\.isFinite) else { throw fail("tensor \(xName)", "holds NaN or infinite values") }
    if file.entry("mask") != nil {
      inputs.mask = try file.floats("mask", expectedShape: xEntry.shape).values
    }
    if let entry = file.entry("label") {
      let values = try file.floats("label", expectedShape: [n]).values
      guard values.allSatisfy({ $0 == 0 || $0 == 1 }) else {
        throw fail("tensor label", "labels must be 0 or 1 (\(entry.dtype.rawValue) values found outside)")
      }
      inputs.labels = values.map { Int($0) }
    }
    if file.entry("split") != nil {
      let values = try file.floats("split", expectedShape: [n]).values
      guard values.allSatisfy({ $0 == 0 || $0 == 1 || $0 == 2 }) else {
        throw fail("tensor split", "split must be 0 (train), 1 (validation) or 2 (test)")
      }
      inputs.splits = values.map { Int($0) }
    }
    if file.entry("slice_thickness") != nil {
      let values = try file.floats("slice_thickness", expectedShape: [n]).values
      guard values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
        throw fail("tensor slice_thickness", "slice thicknesses must be positive millimetres")
      }
      inputs.sliceThickness = values.map(Double.init)
    }
    if let text = file.metadata["fgf.patient_ids"] {
      // Non-string items are dropped, so the count check catches them too.
      let ids = (try? JSONValue.parse(text))?.arrayValue?.compactMap(\.stringValue)
      guard let ids, ids.count == n else {
        throw fail("__metadata__.fgf.patient_ids", "expected a JSON array of \(n) strings")
      }
      inputs.ids = ids
    }
    if let entry = file.entry("directions") {
      guard entry.shape.count == 5, entry.shape[0] == n, Array(entry.shape.suffix(3)) == sample else {
        throw fail("tensor directions", "shape \(entry.shape), expected [\(n), K, \(sample.map(String.init).joined(separator: ", "))]")
      }
      let k = entry.shape[1], d = sample.reduce(1, *)
      let values = try file.floats("directions").values
      inputs.directions = (0..<n).map { i in (0..<k).map { j in Array(values[((i * k + j) * d)..<((i * k + j + 1) * d)]) } }
    }
    return inputs
  }

  init(path: String, count: Int, sampleShape: [Int], x: [Float]) {
    self.path = path; self.count = count; self.sampleShape = sampleShape; self.x = x
  }

  /// Checks that the samples fit `model`'s input.
  public func check(against model: Model, modelPath: String) throws(FileError) {
    guard sampleShape == model.architecture.input else {
      throw FileError(path: path, place: "tensor x", problem: "samples are \(sampleShape), the model \(modelPath) takes \(model.architecture.input)")
    }
  }
}
