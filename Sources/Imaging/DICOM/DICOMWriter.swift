// Writing DICOM files: preamble, meta group and data set in any of the transfer syntaxes fgf
// reads (Implicit/Explicit VR Little Endian, Explicit VR Big Endian, Deflated, and RLE when the
// pixel data are encapsulated), sequences of defined or undefined length. fgf writes DICOM only
// to build its own test and fuzz files; users' data go out as NIfTI.

import Common

public struct DICOMWriteOptions: Sendable {
  public var transferSyntax: DICOMTransferSyntax
  /// Write the 128-byte preamble and "DICM".
  public var preamble: Bool
  /// Write the file meta information group (0002).
  public var meta: Bool
  /// Write sequences and items with undefined length and delimiters instead of byte counts.
  public var undefinedLengths: Bool

  public init(transferSyntax: DICOMTransferSyntax = .explicitLittle, preamble: Bool = true, meta: Bool = true,
              undefinedLengths: Bool = false) {
    self.transferSyntax = transferSyntax; self.preamble = preamble; self.meta = meta
    self.undefinedLengths = undefinedLengths
  }
}

public enum DICOMWriter {
  /// fgf's implementation class UID (a UUID-derived "2.25." UID, PS3.5 B.2).
  public static let implementationClassUID = "2.25.255079328125610742911359461402512358315"

  /// The bytes of a file holding `dataSet`.
  public static func encode(_ dataSet: DICOMDataSet, options: DICOMWriteOptions = DICOMWriteOptions()) -> [UInt8] {
    var out: [UInt8] = []
    if options.preamble {
      out += [UInt8](repeating: 0, count: 128)
      out += Array("DICM".utf8)
    }
    if options.meta {
      var meta = DICOMDataSet()
      meta.set(.fileMetaInformationVersion, vr: .OB, bytes: [0, 1])
      meta.set(.mediaStorageSOPClassUID, string: dataSet.string(.sopClassUID) ?? DICOMSOPClass.ctImage, vr: .UI)
      meta.set(.mediaStorageSOPInstanceUID, string: dataSet.string(.sopInstanceUID) ?? "2.25.0", vr: .UI)
      meta.set(.transferSyntaxUID, string: options.transferSyntax.uid, vr: .UI)
      meta.set(.implementationClassUID, string: implementationClassUID, vr: .UI)
      var group = Encoder(encoding: .explicitLittle, undefinedLengths: false)
      group.write(meta)
      var length = DICOMDataSet()
      length.set(DICOMTag(0x0002, 0x0000), integers: [group.bytes.count], vr: .UL)
      var header = Encoder(encoding: .explicitLittle, undefinedLengths: false)
      header.write(length)
      out += header.bytes + group.bytes
    }
    let syntax = options.transferSyntax
    var body = Encoder(encoding: DICOMEncoding(explicitVR: syntax.explicitVR, bigEndian: syntax.bigEndian),
                       undefinedLengths: options.undefinedLengths)
    body.write(dataSet)
    out += syntax.deflated ? Gzip.deflateRaw(body.bytes) : body.bytes
    return out
  }

  /// Writes `dataSet` to `path` atomically.
  public static func write(_ dataSet: DICOMDataSet, to path: String, options: DICOMWriteOptions = DICOMWriteOptions()) throws(FileError) {
    try FileIO.writeAtomically(encode(dataSet, options: options), to: path)
  }

  /// Encodes data sets into bytes.
  struct Encoder {
    let encoding: DICOMEncoding
    let undefinedLengths: Bool
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
      if encoding.bigEndian { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
      else { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    }

    mutating func u32(_ value: UInt32) {
      if encoding.bigEndian { u16(UInt16(value >> 16)); u16(UInt16(value & 0xFFFF)) }
      else { u16(UInt16(value & 0xFFFF)); u16(UInt16(value >> 16)) }
    }

    mutating func tag(_ tag: DICOMTag) { u16(tag.group); u16(tag.element) }

    mutating func write(_ dataSet: DICOMDataSet) {
      for tag in dataSet.tags {
        guard let element = dataSet.elements[tag] else { continue }
        write(element, sourceBigEndian: dataSet.bigEndian)
      }
    }

    mutating func header(_ tag: DICOMTag, _ vr: DICOMVR, length: UInt32) {
      self.tag(tag)
      guard encoding.explicitVR else { u32(length); return }
      bytes += Array(vr.rawValue.utf8)
      if vr.hasLongLength { u16(0); u32(length) } else { u16(UInt16(length)) }
    }

    mutating func write(_ element: DICOMElement, sourceBigEndian: Bool) {
      switch element.value {
      case .bytes(let source):
        var value = Array(source)
        if value.count % 2 == 1 { value.append(element.vr.isText && element.vr != .UI ? 0x20 : 0) }
        let unit = element.vr.byteSwapUnit
        if unit > 1 && sourceBigEndian != encoding.bigEndian {
          var i = 0
          while i + unit <= value.count { value[i..<(i + unit)].reverse(); i += unit }
        }
        // A short-length VR cannot hold more than 65534 bytes in explicit VR: such values go out as UN.
        let vr = encoding.explicitVR && !element.vr.hasLongLength && value.count > 0xFFFE ? DICOMVR.UN : element.vr
        header(element.tag, vr, length: UInt32(value.count))
        bytes += value
      case .sequence(let items):
        var nested = Encoder(encoding: encoding, undefinedLengths: undefinedLengths)
        for item in items {
          var content = Encoder(encoding: encoding, undefinedLengths: undefinedLengths)
          content.write(item)
          nested.tag(.item)
          if undefinedLengths {
            nested.u32(0xFFFF_FFFF)
            nested.bytes += content.bytes
            nested.tag(.itemDelimitation)
            nested.u32(0)
          } else {
            nested.u32(UInt32(content.bytes.count))
            nested.bytes += content.bytes
          }
        }
        if undefinedLengths {
          header(element.tag, .SQ, length: 0xFFFF_FFFF)
          bytes += nested.bytes
          tag(.sequenceDelimitation)
          u32(0)
        } else {
          header(element.tag, .SQ, length: UInt32(nested.bytes.count))
          bytes += nested.bytes
        }
      case .encapsulated(let offsetTable, let fragments):
        header(element.tag, .OB, length: 0xFFFF_FFFF)
        tag(.item)
        u32(UInt32(offsetTable.count))
        bytes += offsetTable
        for fragment in fragments {
          tag(.item)
          var value = Array(fragment)
          if value.count % 2 == 1 { value.append(0) }
          u32(UInt32(value.count))
          bytes += value
        }
        tag(.sequenceDelimitation)
        u32(0)
      }
    }
  }
}
