// Building data sets to write: typed setters that encode values as DICOM stores them (text padded
// to even length with the VR's padding, decimal strings within 16 characters, binary numbers in
// the data set's byte order). The writer and the tests' file factory use them.

import Glibc

extension DICOMDataSet {
  /// Sets `tag` to raw value bytes, padded to even length.
  public mutating func set(_ tag: DICOMTag, vr: DICOMVR, bytes: [UInt8]) {
    var value = bytes
    if value.count % 2 == 1 { value.append(vr.isText && vr != .UI ? 0x20 : 0) }
    elements[tag] = DICOMElement(tag: tag, vr: vr, value: .bytes(value[...]))
  }

  /// Sets a text element; the VR defaults to the dictionary's (LO for unknown tags).
  public mutating func set(_ tag: DICOMTag, string: String, vr: DICOMVR? = nil) {
    set(tag, vr: vr ?? DICOMDictionary.entry(tag)?.vr ?? .LO, bytes: Array(string.utf8))
  }

  /// Sets a multi-valued text element (values joined by "\").
  public mutating func set(_ tag: DICOMTag, strings: [String], vr: DICOMVR? = nil) {
    set(tag, string: strings.joined(separator: "\\"), vr: vr)
  }

  /// Sets a decimal string (DS) element.
  public mutating func set(_ tag: DICOMTag, decimals: [Double]) {
    set(tag, string: decimals.map(DICOMDataSet.decimalString).joined(separator: "\\"), vr: .DS)
  }

  /// Sets an integer element: binary for US, SS, UL, SL (in the data set's byte order), text for IS.
  public mutating func set(_ tag: DICOMTag, integers: [Int], vr: DICOMVR? = nil) {
    let vr = vr ?? DICOMDictionary.entry(tag)?.vr ?? .IS
    let width: Int
    switch vr {
    case .US, .SS: width = 2
    case .UL, .SL: width = 4
    default:
      set(tag, string: integers.map(String.init).joined(separator: "\\"), vr: vr)
      return
    }
    var bytes: [UInt8] = []
    for value in integers {
      for k in 0..<width {
        let shift = bigEndian ? 8 * (width - 1 - k) : 8 * k
        bytes.append(UInt8(truncatingIfNeeded: value >> shift))
      }
    }
    set(tag, vr: vr, bytes: bytes)
  }

  /// Sets a sequence.
  public mutating func set(_ tag: DICOMTag, items: [DICOMDataSet]) {
    elements[tag] = DICOMElement(tag: tag, vr: .SQ, value: .sequence(items))
  }

  /// Sets encapsulated pixel data (an empty basic offset table and the given fragments).
  public mutating func setEncapsulatedPixelData(fragments: [[UInt8]]) {
    elements[.pixelData] = DICOMElement(tag: .pixelData, vr: .OB,
                                        value: .encapsulated(offsetTable: [], fragments: fragments.map { $0[...] }))
  }

  /// A decimal string of at most 16 characters (PS3.5 §6.2 DS), as exact as that allows.
  public static func decimalString(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    let plain = String(value)
    if plain.count <= 16 { return plain }
    let exponent = Int(floor(log10(abs(value))))
    for digits in stride(from: 15, through: 1, by: -1) {
      let scale = pow10(digits - 1 - exponent)
      let rounded = (value * scale).rounded() / scale
      let text = String(rounded)
      if text.count <= 16 { return text }
    }
    return String(Float(value))
  }

  private static func pow10(_ power: Int) -> Double {
    var result = 1.0
    for _ in 0..<abs(power) { result *= 10 }
    return power < 0 ? 1 / result : result
  }
}

