// Architecture: a network as data, the layer list stored in a model file's `fgf.arch` metadata.
// JSON form: {"input":[3,64,64],"layers":[{"type":"conv2d","name":"conv1","in":3,"out":16,
// "kernel":3,"padding":1},{"type":"silu"},{"type":"maxpool2d","size":2},…,
// {"type":"global_avg_pool"},{"type":"linear","name":"fc","in":64,"out":1}]}.
// Layer semantics are PyTorch's (Conv2d stride 1 zero padding, MaxPool2d(size) stride size,
// AdaptiveAvgPool2d(1)+flatten, Linear), so parameter names and layouts are its state_dict's.

import Common

/// One layer of an architecture.
public enum LayerSpec: Sendable, Equatable, Codable {
  /// k×k convolution (k odd), stride 1, zero padding `padding` ≤ k/2; parameters `name.weight`
  /// [out, in, k, k] and `name.bias` [out].
  case conv2d(name: String, inChannels: Int, outChannels: Int, kernel: Int, padding: Int)
  /// x·sigmoid(x).
  case silu
  /// max(x, 0); its second derivative is taken as 0 (also at 0, as PyTorch does).
  case relu
  /// Non-overlapping `size`×`size` max pooling (stride `size`, remainder rows/columns dropped).
  case maxPool2d(size: Int)
  /// Mean over all pixels of each channel; turns an image into a feature vector.
  case globalAvgPool
  /// y = W x + b on a feature vector; parameters `name.weight` [out, in] and `name.bias` [out].
  case linear(name: String, inFeatures: Int, outFeatures: Int)

  /// The JSON object of this layer.
  public var json: JSONValue {
    switch self {
    case let .conv2d(name, i, o, k, p):
      return .object([("type", .string("conv2d")), ("name", .string(name)), ("in", .number(i)),
                      ("out", .number(o)), ("kernel", .number(k)), ("padding", .number(p))])
    case .silu: return .object([("type", .string("silu"))])
    case .relu: return .object([("type", .string("relu"))])
    case let .maxPool2d(size): return .object([("type", .string("maxpool2d")), ("size", .number(size))])
    case .globalAvgPool: return .object([("type", .string("global_avg_pool"))])
    case let .linear(name, i, o):
      return .object([("type", .string("linear")), ("name", .string(name)), ("in", .number(i)), ("out", .number(o))])
    }
  }

  /// Parses one layer object; `place` names it in errors ("layer 3").
  public init(json: JSONValue, place: String) throws(ArchitectureError) {
    func fail(_ problem: String) -> ArchitectureError { ArchitectureError(place: place, problem: problem) }
    guard let members = json.objectValue else { throw fail("a layer must be a JSON object") }
    guard let type = json["type"]?.stringValue else { throw fail("missing \"type\"") }
    let allowed: [String: [String]] = [
      "conv2d": ["type", "name", "in", "out", "kernel", "padding"], "silu": ["type"], "relu": ["type"],
      "maxpool2d": ["type", "size"], "global_avg_pool": ["type"], "linear": ["type", "name", "in", "out"],
    ]
    guard let keys = allowed[type] else {
      throw fail("unknown layer type \"\(type)\" (known: conv2d, silu, relu, maxpool2d, global_avg_pool, linear)")
    }
    for (key, _) in members where !keys.contains(key) { throw fail("unexpected key \"\(key)\" for \(type)") }
    func int(_ key: String, default value: Int? = nil) throws(ArchitectureError) -> Int {
      guard let item = json[key] else {
        if let value { return value }
        throw fail("missing \"\(key)\"")
      }
      guard let n = item.intValue else { throw fail("\"\(key)\" must be an integer") }
      return n
    }
    func name() throws(ArchitectureError) -> String {
      guard let text = json["name"]?.stringValue else { throw fail("missing \"name\"") }
      return text
    }
    switch type {
    case "conv2d":
      self = .conv2d(name: try name(), inChannels: try int("in"), outChannels: try int("out"),
                     kernel: try int("kernel"), padding: try int("padding", default: 0))
    case "silu": self = .silu
    case "relu": self = .relu
    case "maxpool2d": self = .maxPool2d(size: try int("size", default: 2))
    case "global_avg_pool": self = .globalAvgPool
    default: self = .linear(name: try name(), inFeatures: try int("in"), outFeatures: try int("out"))
    }
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    self = try LayerSpec(json: JSONValue.parse(text), place: "layer")
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(json.serialized)
  }
}

/// Why an architecture was rejected: where (layer index or field) and what.
public struct ArchitectureError: Error, Sendable, Equatable, CustomStringConvertible {
  public var place: String
  public var problem: String
  public var description: String { "\(place): \(problem)" }
}

/// The shape of the tensor between two layers: an image [channels, height, width] or a vector
/// [features] (height = width = 1, `isVector`).
public struct ActivationShape: Sendable, Equatable {
  public var channels: Int
  public var height: Int
  public var width: Int
  public var isVector: Bool
  public var elementCount: Int { channels * height * width }
}

/// A network as a layer list over a fixed input shape; the last layer yields one logit.
public struct Architecture: Sendable, Equatable, Codable {
  /// [channels, height, width] of one input sample.
  public var input: [Int]
  public var layers: [LayerSpec]

  /// Limits that keep a hostile `fgf.arch` from asking for absurd work or memory.
  public static let maxSide = 1024
  public static let maxChannels = 4096
  public static let maxKernel = 15
  public static let maxLayers = 256
  public static let maxActivationElements = 1 << 26

  public init(input: [Int], layers: [LayerSpec]) {
    self.input = input
    self.layers = layers
  }

  /// FGF-CNN (DESIGN §3): three blocks conv3×3 (pad 1) + activation + maxpool 2 with 16, 32, 64
  /// channels, global average pool, fc 64→1, on 3×64×64 input.
  public static func fgfCNN(activation: LayerSpec = .silu) -> Architecture {
    var layers: [LayerSpec] = []
    var channels = 3
    for (index, width) in [16, 32, 64].enumerated() {
      layers += [.conv2d(name: "conv\(index + 1)", inChannels: channels, outChannels: width, kernel: 3, padding: 1),
                 activation, .maxPool2d(size: 2)]
      channels = width
    }
    layers += [.globalAvgPool, .linear(name: "fc", inFeatures: 64, outFeatures: 1)]
    return Architecture(input: [3, 64, 64], layers: layers)
  }

  /// The `fgf.arch` JSON text.
  public var json: String {
    JSONValue.object([("input", .array(input.map { .number($0) })),
                      ("layers", .array(layers.map(\.json)))]).serialized
  }

  /// Parses and validates `fgf.arch` JSON text.
  public init(json text: String) throws(ArchitectureError) {
    let value: JSONValue
    do { value = try JSONValue.parse(text) } catch {
      throw ArchitectureError(place: "fgf.arch", problem: error.description)
    }
    guard let members = value.objectValue else { throw ArchitectureError(place: "fgf.arch", problem: "not a JSON object") }
    for (key, _) in members where key != "input" && key != "layers" {
      throw ArchitectureError(place: "fgf.arch", problem: "unexpected key \"\(key)\"")
    }
    guard let dims = value["input"]?.arrayValue, dims.count == 3 else {
      throw ArchitectureError(place: "fgf.arch.input", problem: "must be [channels, height, width]")
    }
    var input: [Int] = []
    for dim in dims {
      guard let n = dim.intValue else { throw ArchitectureError(place: "fgf.arch.input", problem: "dimensions must be integers") }
      input.append(n)
    }
    guard let items = value["layers"]?.arrayValue else {
      throw ArchitectureError(place: "fgf.arch.layers", problem: "missing layer list")
    }
    guard items.count <= Architecture.maxLayers else {
      throw ArchitectureError(place: "fgf.arch.layers", problem: "\(items.count) layers, more than \(Architecture.maxLayers)")
    }
    var layers: [LayerSpec] = []
    for (index, item) in items.enumerated() { layers.append(try LayerSpec(json: item, place: "layer \(index)")) }
    self.init(input: input, layers: layers)
    _ = try shapes()
  }

  public init(from decoder: any Decoder) throws {
    self = try Architecture(json: decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(json)
  }

  /// Checks the layer list and returns the shape after each layer (index 0 is the input).
  public func shapes() throws(ArchitectureError) -> [ActivationShape] {
    func fail(_ place: String, _ problem: String) -> ArchitectureError { ArchitectureError(place: place, problem: problem) }
    guard input.count == 3 else { throw fail("input", "must be [channels, height, width]") }
    guard (1...Architecture.maxChannels).contains(input[0]),
          (1...Architecture.maxSide).contains(input[1]), (1...Architecture.maxSide).contains(input[2]) else {
      throw fail("input", "\(input) is outside 1…\(Architecture.maxChannels) channels, 1…\(Architecture.maxSide) pixels")
    }
    guard !layers.isEmpty, layers.count <= Architecture.maxLayers else { throw fail("layers", "need 1…\(Architecture.maxLayers) layers") }
    var current = ActivationShape(channels: input[0], height: input[1], width: input[2], isVector: false)
    var shapes = [current]
    var names = Set<String>()
    func checkName(_ name: String, _ place: String) throws(ArchitectureError) {
      guard !name.isEmpty, !name.contains("."), name.utf8.count <= 64 else {
        throw fail(place, "layer name \"\(name)\" must be 1…64 characters without \".\"")
      }
      guard names.insert(name).inserted else { throw fail(place, "duplicate layer name \"\(name)\"") }
    }
    var total = current.elementCount
    for (index, layer) in layers.enumerated() {
      let place = "layer \(index)"
      switch layer {
      case let .conv2d(name, i, o, k, p):
        guard !current.isVector else { throw fail(place, "conv2d needs an image, got a vector") }
        guard i == current.channels else { throw fail(place, "conv2d \(name) takes \(i) channels but receives \(current.channels)") }
        guard (1...Architecture.maxChannels).contains(o) else { throw fail(place, "out channels \(o) outside 1…\(Architecture.maxChannels)") }
        guard k % 2 == 1, (1...Architecture.maxKernel).contains(k) else { throw fail(place, "kernel \(k) must be odd, 1…\(Architecture.maxKernel)") }
        guard (0...(k / 2)).contains(p) else { throw fail(place, "padding \(p) must be 0…\(k / 2)") }
        let h = current.height + 2 * p - k + 1, w = current.width + 2 * p - k + 1
        guard h >= 1, w >= 1 else { throw fail(place, "conv2d \(name) leaves no pixels") }
        try checkName(name, place)
        current = ActivationShape(channels: o, height: h, width: w, isVector: false)
      case .silu, .relu:
        break
      case let .maxPool2d(size):
        guard !current.isVector else { throw fail(place, "maxpool2d needs an image, got a vector") }
        guard size >= 1, current.height / size >= 1, current.width / size >= 1 else {
          throw fail(place, "maxpool2d size \(size) does not fit \(current.height)×\(current.width)")
        }
        current.height /= size
        current.width /= size
      case .globalAvgPool:
        guard !current.isVector else { throw fail(place, "global_avg_pool needs an image, got a vector") }
        current = ActivationShape(channels: current.channels, height: 1, width: 1, isVector: true)
      case let .linear(name, i, o):
        guard current.isVector else { throw fail(place, "linear needs a vector; put global_avg_pool before it") }
        guard i == current.channels else { throw fail(place, "linear \(name) takes \(i) features but receives \(current.channels)") }
        guard (1...Architecture.maxChannels).contains(o) else { throw fail(place, "out features \(o) outside 1…\(Architecture.maxChannels)") }
        try checkName(name, place)
        current = ActivationShape(channels: o, height: 1, width: 1, isVector: true)
      }
      total += current.elementCount
      guard total <= Architecture.maxActivationElements else { throw fail(place, "activations exceed \(Architecture.maxActivationElements) values per sample") }
      shapes.append(current)
    }
    guard current.isVector, current.channels == 1 else {
      throw fail("layer \(layers.count - 1)", "the network must end in one logit (a linear layer with 1 output)")
    }
    return shapes

  }

  /// Parameter tensors in state_dict order: name and PyTorch shape.
  public var parameterShapes: [(name: String, shape: [Int])] {
    layers.flatMap { layer -> [(name: String, shape: [Int])] in
      switch layer {
      case let .conv2d(name, i, o, k, _): return [("\(name).weight", [o, i, k, k]), ("\(name).bias", [o])]
      case let .linear(name, i, o): return [("\(name).weight", [o, i]), ("\(name).bias", [o])]
      default: return []
      }
    }
  }
}
