// Reading DICOM files (PS3.10 §7.1): the optional 128-byte preamble and "DICM", the file meta
// information (group 0002, Explicit VR Little Endian), the transfer syntax it names (or one
// guessed from the first element when there is no meta group), and the data set, inflated first
// for Deflated Explicit VR Little Endian. Headers can be read from a prefix of the file.

import Common
import Glibc

/// A parsed DICOM file.
public struct DICOMFile: Sendable {
  public var path: String
  /// The file starts with the 128-byte preamble and "DICM".
  public var hasPreamble: Bool
  /// The file meta information (group 0002); empty when the file has none.
  public var meta: DICOMDataSet
  public var transferSyntax: DICOMTransferSyntax
  /// The transfer syntax was guessed from the data (no meta group, or one without (0002,0010)).
  public var transferSyntaxGuessed: Bool
  /// The data set (without the meta group).
  public var dataSet: DICOMDataSet
  /// Parsing stopped at the `stopBefore` tag; later elements were not read.
  public var stoppedEarly: Bool
}

public enum DICOMReader {
  /// Largest data set a deflated file may inflate to.
  public static let inflateLimit = 1 << 31

  /// Parses a whole file held in memory, stopping before `stopBefore` if given.
  public static func parse(_ bytes: [UInt8], path: String, stopBefore: DICOMTag? = nil) throws(FileError) -> DICOMFile {
    do {
      return try parse(bytes, path: path, stopBefore: stopBefore, complete: true)
    } catch {
      switch error {
      case .file(let fileError): throw fileError
      case .needMore: throw FileError(path: path, problem: "internal: parser asked for more of a complete file")
      }
    }
  }

  /// Reads and parses the file at `path`.
  public static func read(_ path: String, stopBefore: DICOMTag? = nil) throws(FileError) -> DICOMFile {
    try parse(FileIO.read(path, limit: 1 << 34), path: path, stopBefore: stopBefore)
  }

  /// Reads the elements before `stopBefore` (by default everything but the pixel data), reading
  /// only a prefix of the file when that suffices: a directory of thousands of slices is
  /// classified without reading their pixels.
  public static func readHeader(_ path: String, stopBefore: DICOMTag = .pixelData, firstRead: Int = 16384) throws(FileError) -> DICOMFile {
    let size = try FileIO.size(of: path)
    var count = min(size, max(firstRead, 256))
    while true {
      let bytes = count == size ? try FileIO.read(path, limit: 1 << 34) : try readPrefix(path, count: count)
      let complete = bytes.count < count || bytes.count == size
      do {
        return try parse(bytes, path: path, stopBefore: stopBefore, complete: complete)
      } catch {
        switch error {
        case .file(let fileError): throw fileError
        case .needMore:
          guard !complete else { throw FileError(path: path, problem: "internal: parser asked for more of a complete file") }
          count = count > size / 4 ? size : count * 4
        }
      }
    }
  }

  static func parse(_ bytes: [UInt8], path: String, stopBefore: DICOMTag?, complete: Bool) throws(DICOMParseFailure) -> DICOMFile {
    let hasPreamble = bytes.count >= 132 && bytes[128] == 0x44 && bytes[129] == 0x49 && bytes[130] == 0x43 && bytes[131] == 0x4D
    if !hasPreamble && !complete && bytes.count < 132 { throw .needMore }
    var p = hasPreamble ? 132 : 0

    // The meta group: Explicit VR Little Endian by the standard (some writers use Implicit VR).
    var meta = DICOMDataSet(path: path)
    if bytes.count - p >= 8 && bytes[p] == 0x02 && bytes[p + 1] == 0x00 {
      let explicit = DICOMVR(bytes[p + 4], bytes[p + 5]) != nil
      let parser = DICOMParser(bytes: bytes, path: path, stream: "", complete: complete, stopBefore: nil, metaOnly: true)
      let result = try parser.dataSet(from: p, to: bytes.count, delimited: false,
                                      encoding: DICOMEncoding(explicitVR: explicit, bigEndian: false), depth: 0)
      meta = result.set
      p = result.next
    } else if hasPreamble && bytes.count - p < 8 && !complete {
      throw .needMore
    }

    var syntax: DICOMTransferSyntax
    var guessed = false
    if let uid = meta.string(.transferSyntaxUID) {
      syntax = DICOMTransferSyntax.named(uid)
    } else {
      guard let guess = guessSyntax(bytes, at: p) else {
        if !complete && bytes.count - p < 16 { throw .needMore }
        throw .file(FileError(path: path, place: "byte \(p)",
                              problem: hasPreamble ? "no transfer syntax in the meta group and no recognisable data element"
                                                   : "not a DICOM file (no \"DICM\" marker at byte 128 and no recognisable data element at byte \(p))"))
      }
      syntax = guess
      guessed = true
    }

    var body = bytes
    var start = p
    var stream = ""
    var bodyComplete = complete
    if syntax.deflated {
      guard complete else { throw .needMore }
      do {
        body = try Gzip.inflateRaw(bytes[p...], limit: inflateLimit, path: path)
      } catch {
        throw .file(FileError(path: path, place: "byte \(p)", problem: "deflated data set: \(error.problem)", hint: error.hint))
      }
      start = 0
      stream = "inflated data set"
      bodyComplete = true
    }

    var encoding = DICOMEncoding(explicitVR: syntax.explicitVR, bigEndian: syntax.bigEndian)
    // Some writers label Implicit VR data as Explicit VR Little Endian; the first element tells.
    if encoding == .explicitLittle && body.count - start >= 8 && DICOMVR(body[start + 4], body[start + 5]) == nil {
      encoding = .implicitLittle
    }
    let parser = DICOMParser(bytes: body, path: path, stream: stream, complete: bodyComplete, stopBefore: stopBefore, metaOnly: false)
    let result = try parser.dataSet(from: start, to: body.count, delimited: false, encoding: encoding, depth: 0)
    return DICOMFile(path: path, hasPreamble: hasPreamble, meta: meta, transferSyntax: syntax,
                     transferSyntaxGuessed: guessed, dataSet: result.set, stoppedEarly: result.stopped)
  }

  /// The encoding of a data set without meta information, from its first element: a small
  /// group number in little or big endian, followed by VR letters or not.
  static func guessSyntax(_ bytes: [UInt8], at p: Int) -> DICOMTransferSyntax? {
    guard bytes.count - p >= 8 else { return nil }
    let vrLetters = DICOMVR(bytes[p + 4], bytes[p + 5]) != nil
    let littleGroup = UInt16(bytes[p + 1]) << 8 | UInt16(bytes[p])
    let bigGroup = UInt16(bytes[p]) << 8 | UInt16(bytes[p + 1])
    let plausible: (UInt16) -> Bool = { $0 >= 0x0002 && $0 <= 0x00FF }
    if plausible(littleGroup) { return vrLetters ? .explicitLittle : .implicitLittle }
    if plausible(bigGroup) && vrLetters { return .explicitBig }
    return nil
  }

  /// The first `count` bytes of the file (fewer if it is shorter).
  static func readPrefix(_ path: String, count: Int) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, problem: "cannot open: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let got = bytes.withUnsafeMutableBytes { buffer in pread(fd, buffer.baseAddress! + done, count - done, off_t(done)) }
      if got < 0 {
        if errno == EINTR { continue }
        throw FileError(path: path, place: "byte \(done)", problem: "read failed: \(String(cString: strerror(errno)))")
      }
      if got == 0 { break }
      done += got
    }
    if done < count { bytes.removeLast(count - done) }
    return bytes
  }
}
