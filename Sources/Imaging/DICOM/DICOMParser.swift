// The DICOM stream parser (PS3.5 §7, PS3.10 §7): data elements in Implicit VR or Explicit VR,
// little or big endian; sequences and items of defined and undefined length, nested (depth
// bounded); encapsulated pixel data. Every length is checked against the bytes that remain
// before anything is sliced, so hostile files throw instead of crashing or allocating.

import Common

/// Why parsing stopped without a result.
enum DICOMParseFailure: Error {
  /// The file is malformed.
  case file(FileError)
  /// A prefix of the file was parsed and more bytes are needed (only when `complete` is false).
  case needMore
}

/// How a data set is encoded.
struct DICOMEncoding: Equatable {
  var explicitVR: Bool
  var bigEndian: Bool
  static let implicitLittle = DICOMEncoding(explicitVR: false, bigEndian: false)
  static let explicitLittle = DICOMEncoding(explicitVR: true, bigEndian: false)
}

struct DICOMParser {
  let bytes: [UInt8]
  let path: String
  /// "" for the file itself, "inflated data set" for the decompressed body of a deflated file.
  let stream: String
  /// `bytes` is the whole stream; false when only a prefix was read (running out asks for more).
  let complete: Bool
  /// Stop at the first top-level element whose tag is at or after this one.
  let stopBefore: DICOMTag?
  /// Only read elements of group 0002 (the file meta information), stopping at any other group.
  let metaOnly: Bool

  static let maxDepth = 16

  // MARK: Primitive reads (callers check bounds first).

  func u16(_ at: Int, _ big: Bool) -> UInt16 {
    big ? UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) : UInt16(bytes[at + 1]) << 8 | UInt16(bytes[at])
  }

  func u32(_ at: Int, _ big: Bool) -> UInt32 {
    big ? UInt32(u16(at, true)) << 16 | UInt32(u16(at + 2, true))
        : UInt32(u16(at + 2, false)) << 16 | UInt32(u16(at, false))
  }

  func tag(_ at: Int, _ big: Bool) -> DICOMTag { DICOMTag(u16(at, big), u16(at + 2, big)) }

  // MARK: Errors

  func failure(_ at: Int, _ tag: DICOMTag?, _ problem: String, hint: String? = nil) -> DICOMParseFailure {
    var place = stream.isEmpty ? "byte \(at)" : "byte \(at) of the \(stream)"
    if let tag { place += ", \(tag.named)" }
    return .file(FileError(path: path, place: place, problem: problem, hint: hint))
  }

  /// Running past `limit`: more bytes are needed when `limit` is the end of a prefix, else the
  /// file is cut short or a length is wrong.
  func overrun(_ at: Int, _ tag: DICOMTag?, needed: Int, limit: Int, what: String) -> DICOMParseFailure {
    if !complete && limit == bytes.count { return .needMore }
    let remaining = max(0, limit - at)
    let within = limit == bytes.count ? "the \(stream.isEmpty ? "file" : stream)" : "its enclosing item or sequence"
    return failure(at, tag, "\(what) needs \(needed) bytes but only \(remaining) remain in \(within)",
                   hint: limit == bytes.count ? "the file may be cut short" : "a length field is wrong")
  }

  // MARK: Data sets

  /// Parses elements from `start` up to `end`; when `delimited`, the data set is an item of
  /// undefined length that ends with an item delimiter. Returns the data set and where it ended.
  func dataSet(from start: Int, to end: Int, delimited: Bool, encoding: DICOMEncoding, depth: Int)
    throws(DICOMParseFailure) -> (set: DICOMDataSet, next: Int, stopped: Bool)
  {
    var set = DICOMDataSet(path: path, bigEndian: encoding.bigEndian, stream: stream)
    var p = start
    while true {
      if p == end {
        // A prefix that ends between two elements says nothing about whether more follow.
        if !complete && end == bytes.count { throw .needMore }
        if delimited { throw overrun(p, nil, needed: 8, limit: end, what: "an item delimiter") }
        return (set, p, false)
      }
      guard end - p >= 8 else { throw overrun(p, nil, needed: 8, limit: end, what: "a data element header") }
      let tag = self.tag(p, encoding.bigEndian)
      if tag == .itemDelimitation {
        guard delimited else { throw failure(p, tag, "item delimiter outside an item of undefined length") }
        return (set, p + 8, false)
      }
      if tag.group == 0xFFFE {
        throw failure(p, tag, "sequence delimiter or item tag where a data element was expected")
      }
      if depth == 0 {
        if metaOnly && tag.group != 0x0002 { return (set, p, true) }
        if let stopBefore, tag >= stopBefore { return (set, p, true) }
      }
      let (element, next) = try self.element(at: p, tag: tag, end: end, encoding: encoding, depth: depth)
      // Tags must ascend without repeats; a repeated tag keeps its first value.
      if set.elements[tag] == nil { set.elements[tag] = element }
      p = next
    }
  }

  /// Parses the element whose tag is at `p`.
  func element(at p: Int, tag: DICOMTag, end: Int, encoding: DICOMEncoding, depth: Int)
    throws(DICOMParseFailure) -> (DICOMElement, Int)
  {
    var vr: DICOMVR
    var length: UInt32
    var valueStart: Int
    if encoding.explicitVR {
      guard let explicit = DICOMVR(bytes[p + 4], bytes[p + 5]) else {
        let shown = String(format2: bytes[p + 4], bytes[p + 5])
        throw failure(p, tag, "invalid value representation \(shown)",
                      hint: "the transfer syntax may not match the file's encoding")
      }
      vr = explicit
      if vr.hasLongLength {
        guard end - p >= 12 else { throw overrun(p, tag, needed: 12, limit: end, what: "a data element header") }
        length = u32(p + 8, encoding.bigEndian)
        valueStart = p + 12
      } else {
        length = UInt32(u16(p + 6, encoding.bigEndian))
        valueStart = p + 8
      }
    } else {
      vr = DICOMDictionary.vr(tag)
      length = u32(p + 4, encoding.bigEndian)
      valueStart = p + 8
    }

    if length == 0xFFFF_FFFF {
      if tag == .pixelData && (vr == .OB || vr == .OW || vr == .UN) {
        let (offsetTable, fragments, next) = try encapsulated(from: valueStart, end: end, tag: tag, encoding: encoding)
        return (DICOMElement(tag: tag, vr: .OB, value: .encapsulated(offsetTable: offsetTable, fragments: fragments), offset: p), next)
      }
      guard vr == .SQ || vr == .UN else {
        throw failure(p, tag, "undefined length on a \(vr.rawValue) element; only sequences and pixel data may have one")
      }
      // An unknown element of undefined length is a sequence; UN sequences are Implicit VR Little Endian (PS3.5 §6.2.2).
      let itemEncoding = vr == .UN && encoding.explicitVR ? DICOMEncoding.implicitLittle : encoding
      let (items, next) = try sequence(from: valueStart, to: end, delimited: true, tag: tag, encoding: itemEncoding, depth: depth + 1)
      return (DICOMElement(tag: tag, vr: .SQ, value: .sequence(items), offset: p), next)
    }

    let count = Int(length)
    guard count <= end - valueStart else {
      throw overrun(valueStart, tag, needed: count, limit: end, what: "the value")
    }
    let valueEnd = valueStart + count
    if vr == .SQ || (vr == .UN && DICOMDictionary.vr(tag) == .SQ) {
      let itemEncoding = vr == .UN ? DICOMEncoding.implicitLittle : encoding
      let (items, _) = try sequence(from: valueStart, to: valueEnd, delimited: false, tag: tag, encoding: itemEncoding, depth: depth + 1)
      return (DICOMElement(tag: tag, vr: .SQ, value: .sequence(items), offset: p), valueEnd)
    }
    return (DICOMElement(tag: tag, vr: vr, value: .bytes(bytes[valueStart..<valueEnd]), offset: p), valueEnd)
  }

  /// Parses a sequence's items from `start`: up to `end` when its length is defined, or up to a
  /// sequence delimiter when `delimited`.
  func sequence(from start: Int, to end: Int, delimited: Bool, tag: DICOMTag, encoding: DICOMEncoding, depth: Int)
    throws(DICOMParseFailure) -> ([DICOMDataSet], Int)
  {
    guard depth <= DICOMParser.maxDepth else {
      throw failure(start, tag, "sequences nested more than \(DICOMParser.maxDepth) deep")
    }
    var items: [DICOMDataSet] = []
    var p = start
    while true {
      if p == end {
        if delimited { throw overrun(p, tag, needed: 8, limit: end, what: "a sequence delimiter") }
        return (items, p)
      }
      guard end - p >= 8 else { throw overrun(p, tag, needed: 8, limit: end, what: "an item header") }
      let itemTag = self.tag(p, encoding.bigEndian)
      let length = u32(p + 4, encoding.bigEndian)
      if itemTag == .sequenceDelimitation {
        guard delimited else { throw failure(p, tag, "sequence delimiter in a sequence of defined length") }
        return (items, p + 8)
      }
      guard itemTag == .item else {
        throw failure(p, tag, "found \(itemTag) where a sequence item (FFFE,E000) was expected")
      }
      let itemStart = p + 8
      if length == 0xFFFF_FFFF {
        let (item, next, _) = try dataSet(from: itemStart, to: end, delimited: true, encoding: encoding, depth: depth)
        items.append(item)
        p = next
      } else {
        let count = Int(length)
        guard count <= end - itemStart else {
          throw overrun(itemStart, tag, needed: count, limit: end, what: "an item")
        }
        let (item, _, _) = try dataSet(from: itemStart, to: itemStart + count, delimited: false, encoding: encoding, depth: depth)
        items.append(item)
        p = itemStart + count
      }
    }
  }

  /// Encapsulated pixel data: a basic offset table item, fragment items, a sequence delimiter.
  func encapsulated(from start: Int, end: Int, tag: DICOMTag, encoding: DICOMEncoding)
    throws(DICOMParseFailure) -> (ArraySlice<UInt8>, [ArraySlice<UInt8>], Int)
  {
    var offsetTable: ArraySlice<UInt8>? = nil
    var fragments: [ArraySlice<UInt8>] = []
    var p = start
    while true {
      guard end - p >= 8 else { throw overrun(p, tag, needed: 8, limit: end, what: "a pixel data item header") }
      let itemTag = self.tag(p, encoding.bigEndian)
      let length = u32(p + 4, encoding.bigEndian)
      if itemTag == .sequenceDelimitation { return (offsetTable ?? [], fragments, p + 8) }
      guard itemTag == .item else {
        throw failure(p, tag, "found \(itemTag) where a pixel data fragment item was expected")
      }
      guard length != 0xFFFF_FFFF else { throw failure(p, tag, "pixel data fragment of undefined length") }
      let count = Int(length)
      guard count <= end - (p + 8) else { throw overrun(p + 8, tag, needed: count, limit: end, what: "a pixel data fragment") }
      let value = bytes[(p + 8)..<(p + 8 + count)]
      if offsetTable == nil { offsetTable = value } else { fragments.append(value) }
      p += 8 + count
    }
  }
}

extension String {
  /// Two bytes shown as printable characters or hex, for error messages.
  init(format2 a: UInt8, _ b: UInt8) {
    func show(_ byte: UInt8) -> String {
      (0x21...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
    self = "\"" + show(a) + show(b) + "\""
  }
}
