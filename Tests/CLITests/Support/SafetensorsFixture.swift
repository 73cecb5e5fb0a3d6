// Writes and reads small safetensors files by hand for the CLI tests (which see only the fgf
// binary, not its modules): F32 and I64 tensors, an optional __metadata__, and the tensors of a
// file read back as floats.

import Foundation

enum SafetensorsFixture {
  enum Values {
    case f32([Float])
    case i64([Int64])
  }

  /// Writes `tensors` (name, shape, values) in order, with `metadata`.
  static func write(_ path: String, _ tensors: [(String, [Int], Values)], metadata: [String: String] = [:]) throws {
    var header: [String] = []
    if !metadata.isEmpty {
      let items = metadata.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(quote($0.value))" }
      header.append("\"__metadata__\":{\(items.joined(separator: ","))}")
    }
    var data: [UInt8] = []
    for (name, shape, values) in tensors {
      let start = data.count
      let dtype: String
      switch values {
      case .f32(let v): dtype = "F32"; for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { data += $0 } }
      case .i64(let v): dtype = "I64"; for x in v { withUnsafeBytes(of: x.littleEndian) { data += $0 } }
      }
      header.append("\(quote(name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(start),\(data.count)]}")
    }
    var json = Array(("{" + header.joined(separator: ",") + "}").utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes += $0 }
    try Data(bytes + json + data).write(to: URL(fileURLWithPath: path))
  }

  /// The header (names → dtype, shape, offsets) and metadata of a file, and a tensor's F32 values.
  static func header(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    return try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any] ?? [:]
  }

  static func floats(_ path: String, _ name: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    guard let entry = try header(path)[name] as? [String: Any], let offsets = entry["data_offsets"] as? [Int] else { return [] }
    let bytes = data.subdata(in: (8 + length + offsets[0])..<(8 + length + offsets[1]))
    return stride(from: 0, to: bytes.count, by: 4).map { i in
      Float(bitPattern: bytes[bytes.startIndex + i..<bytes.startIndex + i + 4].enumerated()
        .reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
    }
  }

  static func quote(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// n crops with a bright disc (radius growing with i) and its mask, labels 1 for the larger half,
  /// splits cycling train, val, test when `split`.
  static func writeCrops(_ path: String, count n: Int, split: Bool = true) throws {
    var x: [Float] = [], mask: [Float] = []
    var seed: UInt64 = 12345
    func noise() -> Float {
      seed = seed &* 6364136223846793005 &+ 1442695040888963407
      return Float(Double(seed >> 11) / Double(1 << 53) - 0.5) * 0.1
    }
    for i in 0..<n {
      let radius = 5 + 10 * Double(i) / Double(max(1, n - 1))
      for _ in 0..<3 {
        for y in 0..<64 {
          for c in 0..<64 {
            let inside = (pow(Double(y) - 31.5, 2) + pow(Double(c) - 31.5 - Double(i % 3), 2)).squareRoot() < radius
            mask.append(inside ? 1 : 0)
            x.append((inside ? 0.4 : 0.05) + noise())
          }
        }
      }
    }
    var tensors: [(String, [Int], Values)] = [
      ("x", [n, 3, 64, 64], .f32(x)), ("mask", [n, 3, 64, 64], .f32(mask)),
      ("label", [n], .i64((0..<n).map { Int64($0 >= n / 2 ? 1 : 0) })),
    ]
    if split { tensors.append(("split", [n], .i64((0..<n).map { Int64($0 % 3 == 2 ? 1 : 0) }))) }
    try write(path, tensors)
  }
}
