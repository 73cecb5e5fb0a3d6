// NIfTIDatatype: the voxel types fgf reads (the header's `datatype` code), their sizes, and the
// conversion of stored voxels, in either byte order, to numbers.

/// A NIfTI voxel type that fgf reads.
enum NIfTIDatatype: Int, CaseIterable, Sendable {
  case uint8 = 2, int16 = 4, int32 = 8, float32 = 16, float64 = 64
  case int8 = 256, uint16 = 512, uint32 = 768, int64 = 1024, uint64 = 1280

  var name: String {
    switch self {
    case .uint8: "uint8"
    case .int16: "int16"
    case .int32: "int32"
    case .float32: "float32"
    case .float64: "float64"
    case .int8: "int8"
    case .uint16: "uint16"
    case .uint32: "uint32"
    case .int64: "int64"
    case .uint64: "uint64"
    }
  }

  /// Bytes per voxel.
  var size: Int {
    switch self {
    case .uint8, .int8: 1
    case .int16, .uint16: 2
    case .int32, .uint32, .float32: 4
    case .int64, .uint64, .float64: 8
    }
  }

  /// Names of the NIfTI types fgf does not read, for error messages.
  static func unsupportedName(_ code: Int) -> String? {
    switch code {
    case 0: "unknown (0)"
    case 1: "binary (1)"
    case 32: "complex64 (32)"
    case 128: "RGB24 (128)"
    case 1536: "float128 (1536)"
    case 1792: "complex128 (1792)"
    case 2048: "complex256 (2048)"
    case 2304: "RGBA32 (2304)"
    default: nil
    }
  }

  /// Converts `count` stored voxels at `raw` to values through `transform`, which receives each
  /// voxel as a Double (exact for every type but 64-bit integers beyond 2^53).
  @inline(__always)
  func convert<Output>(_ raw: UnsafeRawBufferPointer, count: Int, littleEndian: Bool,
                       _ transform: (Double) -> Output) -> [Output] {
    precondition(raw.count >= count * size, "voxel data shorter than its declared size")
    return [Output](unsafeUninitializedCapacity: count) { out, initialized in
      func each<T: FixedWidthInteger>(_: T.Type, _ value: (T) -> Double) {
        let swap = littleEndian != (1.littleEndian == 1)
        for index in 0..<count {
          var word = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self)
          if swap { word = word.byteSwapped }
          (out.baseAddress! + index).initialize(to: transform(value(word)))
        }
      }
      switch self {
      case .uint8: each(UInt8.self) { Double($0) }
      case .int8: each(Int8.self) { Double($0) }
      case .int16: each(Int16.self) { Double($0) }
      case .uint16: each(UInt16.self) { Double($0) }
      case .int32: each(Int32.self) { Double($0) }
      case .uint32: each(UInt32.self) { Double($0) }
      case .int64: each(Int64.self) { Double($0) }
      case .uint64: each(UInt64.self) { Double($0) }
      case .float32: each(UInt32.self) { Double(Float(bitPattern: $0)) }
      case .float64: each(UInt64.self) { Double(bitPattern: $0) }
      }
      initialized = count
    }
  }
}
