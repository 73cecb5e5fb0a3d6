// DICOM data element tags and value representations (PS3.5 §6–7): the vocabulary the reader,
// the writer and the dictionary share.

/// A data element tag (group, element).
public struct DICOMTag: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var group: UInt16
  public var element: UInt16

  public init(_ group: UInt16, _ element: UInt16) {
    self.group = group
    self.element = element
  }

  /// Group and element as one number, so tags order as in a file.
  public var combined: UInt32 { UInt32(group) << 16 | UInt32(element) }

  public static func < (a: DICOMTag, b: DICOMTag) -> Bool { a.combined < b.combined }

  /// "(0028,0010)", as the standard writes tags.
  public var description: String { "(\(hex4(group)),\(hex4(element)))" }

  /// "(0028,0010) Rows" when the dictionary knows the tag, for error messages.
  public var named: String {
    if let entry = DICOMDictionary.entry(self) { return "\(description) \(entry.keyword)" }
    return description
  }

  /// Private tags live in odd groups.
  public var isPrivate: Bool { group & 1 == 1 }

  // Item and delimiter tags of sequences and encapsulated pixel data (PS3.5 §7.5).
  public static let item = DICOMTag(0xFFFE, 0xE000)
  public static let itemDelimitation = DICOMTag(0xFFFE, 0xE00D)
  public static let sequenceDelimitation = DICOMTag(0xFFFE, 0xE0DD)
}

func hex4(_ value: UInt16) -> String {
  let digits = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: 4 - digits.count) + digits
}

/// A value representation: the type of a data element's value (PS3.5 §6.2).
public enum DICOMVR: String, Sendable, CaseIterable {
  case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST,
       SV, TM, UC, UI, UL, UN, UR, US, UT, UV

  /// The VR from the two characters of an explicit-VR element, or nil if they name none.
  public init?(_ first: UInt8, _ second: UInt8) {
    guard (65...90).contains(first), (65...90).contains(second) else { return nil }
    self.init(rawValue: String(decoding: [first, second], as: UTF8.self))
  }

  /// Explicit-VR elements of these VRs have 2 reserved bytes and a 32-bit length; others a 16-bit length.
  public var hasLongLength: Bool {
    switch self {
    case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV: return true
    default: return false
    }
  }

  /// Size of the numbers a value holds, for byte swapping between little and big endian
  /// (1 for text and bytes).
  public var byteSwapUnit: Int {
    switch self {
    case .US, .SS, .OW, .AT: return 2
    case .UL, .SL, .FL, .OF, .OL: return 4
    case .FD, .OD, .SV, .UV, .OV: return 8
    default: return 1
    }
  }

  /// Text VRs whose values are padded with spaces (UI with NUL) to an even length.
  public var isText: Bool {
    switch self {
    case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: return true
    default: return false
    }
  }
}
