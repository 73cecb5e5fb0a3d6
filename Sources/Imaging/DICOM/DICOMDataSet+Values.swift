// Decoding element values of a DICOMDataSet: text (with multiplicity), decimal and integer
// strings, binary numbers in the data set's byte order, and sequence items. Malformed values
// throw a FileError naming the file, byte offset and tag.

import Common

extension DICOMDataSet {
  /// The text value of `tag` (all values joined by "\"), without padding; nil if absent or empty.
  public func string(_ tag: DICOMTag) -> String? {
    guard let element = elements[tag], case .bytes(let bytes) = element.value else { return nil }
    let text = DICOMText.decode(bytes).trimmingPadding()
    return text.isEmpty ? nil : text
  }

  /// The values of a multi-valued text element, each without padding.
  public func strings(_ tag: DICOMTag) -> [String] {
    guard let element = elements[tag], case .bytes(let bytes) = element.value, !bytes.isEmpty else { return [] }
    return DICOMText.decode(bytes).split(separator: "\\", omittingEmptySubsequences: false)
      .map { String($0).trimmingPadding() }
  }

  /// Numbers of a DS or IS element (decimal strings), or of a binary FD/FL/US/SS/UL/SL element.
  /// nil if the element is absent or empty; throws if a value is not a number.
  public func doubles(_ tag: DICOMTag) throws(FileError) -> [Double]? {
    guard let element = elements[tag], case .bytes(let bytes) = element.value, !bytes.isEmpty else { return nil }
    switch element.vr {
    case .FD: return binary(bytes, unit: 8).map { Double(bitPattern: $0) }
    case .FL: return binary(bytes, unit: 4).map { Double(Float(bitPattern: UInt32($0))) }
    case .US: return binary(bytes, unit: 2).map { Double($0) }
    case .SS: return binary(bytes, unit: 2).map { Double(Int16(bitPattern: UInt16($0))) }
    case .UL: return binary(bytes, unit: 4).map { Double($0) }
    case .SL: return binary(bytes, unit: 4).map { Double(Int32(bitPattern: UInt32($0))) }
    default:
      guard let values = DICOMText.decimals(bytes) else {
        throw error(tag, "\"\(DICOMText.decode(bytes.prefix(64)).trimmingPadding())\" is not a list of decimal numbers")
      }
      return values
    }
  }

  /// The first number of `tag` as a Double, nil if absent.
  public func double(_ tag: DICOMTag) throws(FileError) -> Double? {
    try doubles(tag)?.first
  }

  /// The first value of an integer element (US, SS, UL, SL binary; IS text), nil if absent.
  public func integer(_ tag: DICOMTag) throws(FileError) -> Int? {
    guard let values = try doubles(tag), let first = values.first else { return nil }
    guard first == first.rounded(), abs(first) < 1e15 else { throw error(tag, "\(first) is not an integer") }
    return Int(first)
  }

  /// An integer element that must be present.
  public func requiredInteger(_ tag: DICOMTag) throws(FileError) -> Int {
    guard let value = try integer(tag) else { throw missing(tag) }
    return value
  }

  /// A text element that must be present.
  public func requiredString(_ tag: DICOMTag) throws(FileError) -> String {
    guard let value = string(tag) else { throw missing(tag) }
    return value
  }

  /// Exactly `count` numbers of `tag`, which must be present.
  public func requiredDoubles(_ tag: DICOMTag, count: Int) throws(FileError) -> [Double] {
    guard let values = try doubles(tag) else { throw missing(tag) }
    guard values.count == count else { throw error(tag, "has \(values.count) values, expected \(count)") }
    guard values.allSatisfy({ $0.isFinite }) else { throw error(tag, "has a value that is not finite") }
    return values
  }

  /// The items of a sequence (empty if absent or not a sequence).
  public func items(_ tag: DICOMTag) -> [DICOMDataSet] {
    guard let element = elements[tag], case .sequence(let items) = element.value else { return [] }
    return items
  }

  func missing(_ tag: DICOMTag) -> FileError {
    FileError(path: path, place: tag.named, problem: "required element is missing or empty")
  }

  /// Unsigned numbers of `unit` bytes in the data set's byte order (a trailing partial unit is ignored).
  func binary(_ bytes: ArraySlice<UInt8>, unit: Int) -> [UInt64] {
    var values: [UInt64] = []
    values.reserveCapacity(bytes.count / unit)
    var index = bytes.startIndex
    while index + unit <= bytes.endIndex {
      var value: UInt64 = 0
      for k in 0..<unit {
        let byte = UInt64(bytes[bigEndian ? index + k : index + unit - 1 - k])
        value = value << 8 | byte
      }
      values.append(value)
      index += unit
    }
    return values
  }
}

/// Text helpers for DICOM character data.
enum DICOMText {
  /// UTF-8 when valid (ASCII is the common case); otherwise ISO 8859-1, byte for byte.
  static func decode(_ bytes: ArraySlice<UInt8>) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
  }

  /// Decimal strings separated by "\", parsed without building intermediate strings per value.
  /// nil if any value is not a finite number; empty values are skipped.
  static func decimals(_ bytes: ArraySlice<UInt8>) -> [Double]? {
    var values: [Double] = []
    values.reserveCapacity(bytes.count / 8 + 1)
    var start = bytes.startIndex
    while start <= bytes.endIndex {
      var stop = start
      while stop < bytes.endIndex && bytes[stop] != 0x5C { stop += 1 }
      var low = start, high = stop
      while low < high && (bytes[low] == 0x20 || bytes[low] == 0) { low += 1 }
      while high > low && (bytes[high - 1] == 0x20 || bytes[high - 1] == 0) { high -= 1 }
      if low < high {
        guard high - low <= 64, let value = parseDouble(bytes[low..<high]), value.isFinite else { return nil }
        values.append(value)
      }
      start = stop + 1
    }
    return values
  }

  /// A decimal number: optional sign, digits with an optional point, optional exponent.
  static func parseDouble(_ bytes: ArraySlice<UInt8>) -> Double? {
    for byte in bytes {
      switch byte {
      case 0x30...0x39, 0x2B, 0x2D, 0x2E, 0x45, 0x65: continue
      default: return nil
      }
    }
    return Double(String(decoding: bytes, as: UTF8.self))
  }
}

extension String {
  /// Without leading spaces and trailing spaces or NULs (DICOM value padding).
  func trimmingPadding() -> String {
    var scalars = Substring(self)
    while let last = scalars.last, last == " " || last == "\0" { scalars.removeLast() }
    while let first = scalars.first, first == " " { scalars.removeFirst() }
    return String(scalars)
  }
}
