// NIfTIByteReader: fixed-offset reads of header fields in the header's byte order. Callers check
// the header's length first, so every offset read here is in range.

struct NIfTIByteReader {
  let bytes: [UInt8]
  let littleEndian: Bool

  private func word<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
    var value: T = 0
    for index in 0..<MemoryLayout<T>.size {
      let byte = T(bytes[offset + index])
      value |= littleEndian ? byte << (8 * index) : byte << (8 * (MemoryLayout<T>.size - 1 - index))
    }
    return value
  }

  func int16(_ offset: Int) -> Int16 { Int16(bitPattern: word(offset, UInt16.self)) }
  func int32(_ offset: Int) -> Int32 { Int32(bitPattern: word(offset, UInt32.self)) }
  func int64(_ offset: Int) -> Int { Int(Int64(bitPattern: word(offset, UInt64.self))) }
  func float32(_ offset: Int) -> Float { Float(bitPattern: word(offset, UInt32.self)) }
  func float64(_ offset: Int) -> Double { Double(bitPattern: word(offset, UInt64.self)) }

  /// A NUL-terminated text field of `length` bytes (invalid UTF-8 repaired).
  func text(_ offset: Int, length: Int) -> String {
    let field = bytes[offset..<offset + length]
    let end = field.firstIndex(of: 0) ?? field.endIndex
    return String(decoding: field[..<end], as: UTF8.self)
  }
}
