// A parsed DICOM data set: its elements by tag, values kept as the bytes of the file (with their
// byte order) and decoded on request, so that reading a header costs no more than walking it.

import Common

/// One data element.
public struct DICOMElement: Sendable {
  public enum Value: Sendable {
    /// The value's bytes as stored, in the data set's byte order.
    case bytes(ArraySlice<UInt8>)
    /// A sequence's items.
    case sequence([DICOMDataSet])
    /// Encapsulated pixel data: the basic offset table and the fragments after it (PS3.5 A.4).
    case encapsulated(offsetTable: ArraySlice<UInt8>, fragments: [ArraySlice<UInt8>])
  }

  public var tag: DICOMTag
  public var vr: DICOMVR
  public var value: Value
  /// Byte offset of the element's tag in the stream it was read from (0 for built elements).
  public var offset: Int

  public init(tag: DICOMTag, vr: DICOMVR, value: Value, offset: Int = 0) {
    self.tag = tag; self.vr = vr; self.value = value; self.offset = offset
  }

  /// The value's bytes (empty for sequences and encapsulated data).
  public var bytes: ArraySlice<UInt8> {
    if case .bytes(let bytes) = value { return bytes }
    return []
  }
}

/// A data set (a file's body, or one item of a sequence).
public struct DICOMDataSet: Sendable {
  public var elements: [DICOMTag: DICOMElement] = [:]
  /// Numeric values are big endian (Explicit VR Big Endian files).
  public var bigEndian: Bool
  /// The file, for error messages.
  public var path: String
  /// Describes the stream offsets refer to: "" for the file itself, "inflated data set" for deflated files.
  public var stream: String

  public init(path: String = "", bigEndian: Bool = false, stream: String = "") {
    self.path = path; self.bigEndian = bigEndian; self.stream = stream
  }

  public subscript(tag: DICOMTag) -> DICOMElement? {
    get { elements[tag] }
    set { elements[tag] = newValue }
  }

  public func contains(_ tag: DICOMTag) -> Bool { elements[tag] != nil }

  /// Tags in file order.
  public var tags: [DICOMTag] { elements.keys.sorted() }

  /// The error to throw about element `tag`'s value.
  public func error(_ tag: DICOMTag, _ problem: String, hint: String? = nil) -> FileError {
    var place = tag.named
    if let element = elements[tag] {
      place = stream.isEmpty ? "byte \(element.offset), \(place)" : "byte \(element.offset) of the \(stream), \(place)"
    }
    return FileError(path: path, place: place, problem: problem, hint: hint)
  }
}
