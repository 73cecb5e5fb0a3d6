// Safetensors: the tensor file format of fgf's model files and tensor dumps (and PyTorch's
// `safetensors`). Layout: 8-byte little-endian header length N, N bytes of JSON mapping each
// tensor name to {dtype, shape, data_offsets} plus an optional "__metadata__" of strings, then
// the data. Reading checks every declared size against the bytes present before allocating.

/// Element types of a safetensors file.
public enum SafetensorsDType: String, Sendable, CaseIterable {
  case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
  case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .f64, .i64: return 8
    case .f32, .i32: return 4
    case .f16, .bf16, .i16: return 2
    case .i8, .u8, .bool: return 1
    }
  }
}

/// One tensor's entry in a safetensors header.
public struct SafetensorsEntry: Sendable, Equatable {
  public var name: String
  public var dtype: SafetensorsDType
  public var shape: [Int]
  /// Byte range within the data section.
  public var range: Range<Int>
}

/// A parsed safetensors file held in memory.
public struct SafetensorsFile: Sendable {
  /// Where the bytes came from, for error messages.
  public let path: String
  /// `__metadata__` (string to string); empty when absent.
  public let metadata: [String: String]
  /// Tensor entries in data order.
  public let entries: [SafetensorsEntry]
  private let bytes: [UInt8]
  private let dataStart: Int
  private let index: [String: Int]

  /// Header lengths above this are refused (the reference implementation uses 100 MB).
  public static let maxHeaderBytes = 100_000_000

  /// Reads and validates the file at `path`.
  public static func read(_ path: String) throws(FileError) -> SafetensorsFile {
    try parse(FileIO.read(path), path: path)
  }

  /// Validates `bytes` as a safetensors file; `path` names it in errors.
  public static func parse(_ bytes: [UInt8], path: String) throws(FileError) -> SafetensorsFile {
    func fail(_ place: String?, _ problem: String) -> FileError {
      FileError(path: path, place: place, problem: problem, hint: "not a valid safetensors file")
    }
    guard bytes.count >= 8 else { throw fail(nil, "file is \(bytes.count) bytes, shorter than the 8-byte header length") }
    var headerLength: UInt64 = 0
    for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard headerLength <= UInt64(maxHeaderBytes) else {
      throw fail("byte 0", "header length \(headerLength) is absurd (limit \(maxHeaderBytes))")
    }
    guard Int(headerLength) <= bytes.count - 8 else {
      throw fail("byte 0", "header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
    }
    let headerEnd = 8 + Int(headerLength)
    let json: JSONValue
    do {
      json = try JSONValue.parse(bytes[8..<headerEnd])
    } catch {
      throw fail("header byte \(error.offset)", "invalid JSON: \(error.problem)")
    }
    guard let members = json.objectValue else { throw fail("header", "the header is not a JSON object") }

    var metadata: [String: String] = [:]
    var entries: [SafetensorsEntry] = []
    for (name, value) in members {
      if name == "__metadata__" {
        guard let pairs = value.objectValue else { throw fail("header", "__metadata__ is not an object") }
        for (key, item) in pairs {
          guard let text = item.stringValue else { throw fail("__metadata__.\(key)", "metadata values must be strings") }
          metadata[key] = text
        }
        continue
      }
      entries.append(try entry(name: name, value: value, fail: fail))
    }

    // Tensors must tile the data section exactly: no overlaps, no holes, nothing past the end.
    let dataCount = bytes.count - headerEnd
    entries.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
    var expectedStart = 0
    for entry in entries {
      guard entry.range.lowerBound == expectedStart else {
        let problem = entry.range.lowerBound < expectedStart ? "data overlaps the previous tensor" : "data leaves a gap before it"
        throw fail("tensor \(entry.name)", "\(problem) (offsets \(entry.range.lowerBound)..<\(entry.range.upperBound))")
      }
      guard entry.range.upperBound <= dataCount else {
        throw fail("tensor \(entry.name)", "data ends at byte \(entry.range.upperBound) of the data section, but the file holds \(dataCount) (truncated?)")
      }
      expectedStart = entry.range.upperBound
    }
    guard expectedStart == dataCount else {
      throw fail("data", "\(dataCount - expectedStart) bytes after the last tensor belong to none")
    }
    return SafetensorsFile(path: path, metadata: metadata, entries: entries,
                           bytes: bytes, dataStart: headerEnd,
                           index: Dictionary(entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a }))
  }

  private static func entry(name: String, value: JSONValue, fail: (String?, String) -> FileError) throws(FileError) -> SafetensorsEntry {
    let place = "tensor \(name)"
    guard value.objectValue != nil else { throw fail(place, "entry is not an object") }
    guard let dtypeText = value["dtype"]?.stringValue else { throw fail(place, "missing dtype") }
    guard let dtype = SafetensorsDType(rawValue: dtypeText) else { throw fail(place, "unknown dtype \"\(dtypeText)\"") }
    guard let dims = value["shape"]?.arrayValue else { throw fail(place, "missing shape") }
    var shape: [Int] = []
    var elements = 1
    for dim in dims {
      guard let n = dim.intValue, n >= 0 else { throw fail(place, "shape entries must be non-negative integers") }
      let (product, overflow) = elements.multipliedReportingOverflow(by: n)
      guard !overflow, product <= Int(Int32.max) * 16 else { throw fail(place, "shape \(dims.map(\.serialized)) is too large") }
      elements = product
      shape.append(n)
    }
    guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
          let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, end >= begin else {
      throw fail(place, "data_offsets must be two integers [begin, end] with begin <= end")
    }
    guard end - begin == elements * dtype.size else {
      throw fail(place, "data_offsets span \(end - begin) bytes but shape \(shape) of \(dtype.rawValue) needs \(elements * dtype.size)")
    }
    return SafetensorsEntry(name: name, dtype: dtype, shape: shape, range: begin..<end)
  }

  private init(path: String, metadata: [String: String], entries: [SafetensorsEntry], bytes: [UInt8], dataStart: Int, index: [String: Int]) {
    self.path = path
    self.metadata = metadata
    self.entries = entries
    self.bytes = bytes
    self.dataStart = dataStart
    self.index = index
  }

  /// The entry named `name`, or nil.
  public func entry(_ name: String) -> SafetensorsEntry? { index[name].map { entries[$0] } }

  /// The raw little-endian bytes of tensor `name`.
  public func bytes(_ name: String) throws(FileError) -> ArraySlice<UInt8> {
    guard let entry = entry(name) else {
      throw FileError(path: path, place: "tensor \(name)", problem: "missing", hint: "the file holds: \(entries.map(\.name).joined(separator: ", "))")
    }
    return bytes[(dataStart + entry.range.lowerBound)..<(dataStart + entry.range.upperBound)]
  }

  /// Tensor `name` converted to Float (any numeric dtype; BOOL as 0/1), with its shape.
  /// `expectedShape` entries of -1 match any size.
  public func floats(_ name: String, expectedShape: [Int]? = nil) throws(FileError) -> (shape: [Int], values: [Float]) {
    let raw = try bytes(name)
    guard let entry = entry(name) else { throw FileError(path: path, place: "tensor \(name)", problem: "missing") }
    if let expectedShape {
      let matches = expectedShape.count == entry.shape.count &&
        zip(expectedShape, entry.shape).allSatisfy { $0 == -1 || $0 == $1 }
      guard matches else {
        throw FileError(path: path, place: "tensor \(name)", problem: "shape \(entry.shape), expected \(expectedShape.map { $0 < 0 ? "N" : String($0) })")
      }
    }
    return (entry.shape, SafetensorsFile.decode(raw, as: entry.dtype))
  }

  static func decode(_ raw: ArraySlice<UInt8>, as dtype: SafetensorsDType) -> [Float] {
    let count = raw.count / dtype.size
    return raw.withUnsafeBytes { buffer -> [Float] in
      func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
        T(littleEndian: buffer.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
      }
      return (0..<count).map { i -> Float in
        switch dtype {
        case .f32: return Float(bitPattern: load(UInt32.self, i))
        case .f64: return Float(Double(bitPattern: load(UInt64.self, i)))
        case .f16: return Float(halfBits: load(UInt16.self, i))
        case .bf16: return Float(bitPattern: UInt32(load(UInt16.self, i)) << 16)
        case .i64: return Float(load(Int64.self, i))
        case .i32: return Float(load(Int32.self, i))
        case .i16: return Float(load(Int16.self, i))
        case .i8: return Float(Int8(bitPattern: buffer[i]))
        case .u8: return Float(buffer[i])
        case .bool: return buffer[i] == 0 ? 0 : 1
        }
      }
    }
  }
}

extension Float {
  /// Converts IEEE 754 binary16 bits (portable; Float16 is not available on every platform).
  init(halfBits bits: UInt16) {
    let sign = UInt32(bits >> 15) << 31
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    if exponent == 0x1F {
      self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    } else if exponent == 0 {
      let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
      self = sign == 0 ? magnitude : -magnitude
    } else {
      self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
  }
}

/// Builds a safetensors file in memory, tensors in the order added.
public struct SafetensorsWriter: Sendable {
  private var header: [(key: String, value: JSONValue)] = []
  private var data: [UInt8] = []
  private var metadata: [(key: String, value: JSONValue)] = []
  private var names = Set<String>()

  public init(metadata: [String: String] = [:]) {
    for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { self.metadata.append((key, .string(value))) }
  }

  /// Sets a metadata string.
  public mutating func setMetadata(_ key: String, _ value: String) {
    metadata.removeAll { $0.key == key }
    metadata.append((key, .string(value)))
  }

  /// Adds a float32 tensor. `values.count` must equal the product of `shape`.
  public mutating func add(_ name: String, shape: [Int], floats values: [Float]) {
    precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
    var bytes = [UInt8]()
    bytes.reserveCapacity(values.count * 4)
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    append(name, .f32, shape, bytes)
  }

  /// Adds a uint8 tensor.
  public mutating func add(_ name: String, shape: [Int], uint8 values: [UInt8]) {
    precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
    append(name, .u8, shape, values)
  }

  /// Adds an int64 tensor.
  public mutating func add(_ name: String, shape: [Int], int64 values: [Int64]) {
    precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
    var bytes = [UInt8]()
    for v in values { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    append(name, .i64, shape, bytes)
  }

  private mutating func append(_ name: String, _ dtype: SafetensorsDType, _ shape: [Int], _ bytes: [UInt8]) {
    precondition(name != "__metadata__" && names.insert(name).inserted, "duplicate tensor name \(name)")
    let begin = data.count
    data += bytes
    header.append((name, .object([
      ("dtype", .string(dtype.rawValue)),
      ("shape", .array(shape.map { JSONValue.number($0) })),
      ("data_offsets", .array([.number(begin), .number(data.count)])),
    ])))
  }

  /// The complete file. The header is padded with spaces to a multiple of 8 bytes.
  public func encoded() -> [UInt8] {
    var members = header
    if !metadata.isEmpty { members.insert(("__metadata__", .object(metadata)), at: 0) }
    var json = Array(JSONValue.object(members).serialized.utf8)
    while (json.count % 8) != 0 { json.append(0x20) }
    var out = [UInt8]()
    out.reserveCapacity(8 + json.count + data.count)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
    return out + json + data
  }

  /// Writes the file atomically.
  public func write(to path: String) throws(FileError) {
    try FileIO.writeAtomically(encoded(), to: path)
  }
}
