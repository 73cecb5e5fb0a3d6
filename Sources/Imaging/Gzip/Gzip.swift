// Gzip: compressed streams through the system zlib. Reading is bounded: output never grows past a
// limit the caller chooses (for NIfTI, the size its header declares), so a small hostile file
// cannot make fgf allocate gigabytes. Corrupt and truncated streams are FileErrors.

import Common

public enum Gzip {
  /// True when `bytes` start with the gzip magic number (1f 8b).
  public static func isGzip<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
    var iterator = bytes.makeIterator()
    return iterator.next() == 0x1F && iterator.next() == 0x8B
  }

  /// Decompresses gzip (all members of a multi-member stream) or zlib data; refuses output over
  /// `limit` bytes. A stream that ends early, fails its checksum or is followed by anything but
  /// another gzip member (or zero padding) is an error naming `path`.
  public static func decompress(_ bytes: [UInt8], limit: Int, path: String) throws(FileError) -> [UInt8] {
    try GzipInflater.run(bytes[...], format: .gzipOrZlib, limit: limit, mode: .whole, path: path)
  }

  /// The first `count` bytes of a gzip or zlib stream whose whole output must not exceed
  /// `limit` bytes. The rest is inflated into a small scratch buffer and dropped, so the stream's
  /// end and checksum are verified without holding more than `count` bytes (e.g. the first
  /// volume of a 4-D NIfTI).
  public static func decompress(_ bytes: [UInt8], keeping count: Int, limit: Int, path: String) throws(FileError) -> [UInt8] {
    try GzipInflater.run(bytes[...], format: .gzipOrZlib, limit: limit, keep: count, mode: .whole, path: path)
  }

  /// The first `count` bytes of the decompressed gzip or zlib stream in `bytes` (fewer if the
  /// stream ends first). `bytes` may be just the start of a file: running out of input is not an
  /// error here, corrupt data is. When the output ends exactly where the stream does, the
  /// stream's checksum is verified too. This is how a header is read without inflating the data.
  public static func decompressPrefix(_ bytes: ArraySlice<UInt8>, count: Int, path: String) throws(FileError) -> [UInt8] {
    try GzipInflater.run(bytes, format: .gzipOrZlib, limit: count, mode: .prefix, path: path)
  }

  /// Raw deflate (no header), as DICOM's Deflated Explicit VR Little Endian uses. Bytes after the
  /// end of the deflate stream (DICOM pads to an even length) are ignored.
  public static func inflateRaw(_ bytes: ArraySlice<UInt8>, limit: Int, path: String) throws(FileError) -> [UInt8] {
    try GzipInflater.run(bytes, format: .raw, limit: limit, mode: .whole, path: path)
  }

  /// Compresses `bytes` into one gzip member at zlib `level` (0 none … 9 smallest).
  public static func compress(_ bytes: [UInt8], level: Int = 6) -> [UInt8] {
    GzipDeflater.run(bytes, level: level, windowBits: 15 + 16)
  }

  /// Compresses `bytes` as raw deflate (no header or checksum), e.g. to build DICOM test files.
  public static func deflateRaw(_ bytes: [UInt8], level: Int = 6) -> [UInt8] {
    GzipDeflater.run(bytes, level: level, windowBits: -15)
  }
}
