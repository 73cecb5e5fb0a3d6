// Pixel data of single-frame monochrome images (PS3.3 C.7.6.3, PS3.5 §8): the stored values,
// native (either byte order) or RLE Lossless, masked to BitsStored at HighBit and sign-extended
// when PixelRepresentation is 1. Every other encapsulated syntax is refused by name.

import Common

/// How a monochrome image stores its values.
public struct DICOMPixelFormat: Sendable, Equatable {
  public var rows: Int
  public var columns: Int
  public var bitsAllocated: Int
  public var bitsStored: Int
  public var highBit: Int
  /// PixelRepresentation 1: two's complement.
  public var signed: Bool

  public init(rows: Int, columns: Int, bitsAllocated: Int, bitsStored: Int, highBit: Int, signed: Bool) {
    self.rows = rows; self.columns = columns
    self.bitsAllocated = bitsAllocated; self.bitsStored = bitsStored; self.highBit = highBit
    self.signed = signed
  }

  /// The format of `dataSet`'s image, validated: one sample per pixel, MONOCHROME1/2, one
  /// frame, 8/16/32 bits allocated, 1 ≤ BitsStored ≤ BitsAllocated, BitsStored − 1 ≤ HighBit < BitsAllocated.
  public init(_ dataSet: DICOMDataSet) throws(FileError) {
    let samples = try dataSet.integer(.samplesPerPixel) ?? 1
    guard samples == 1 else {
      throw dataSet.error(.samplesPerPixel, "\(samples) samples per pixel: only single-sample (monochrome) images are supported")
    }
    let photometric = dataSet.string(.photometricInterpretation) ?? "MONOCHROME2"
    guard photometric == "MONOCHROME2" || photometric == "MONOCHROME1" else {
      throw dataSet.error(.photometricInterpretation, "photometric interpretation \(photometric): only MONOCHROME1 and MONOCHROME2 are supported")
    }
    let frames = try dataSet.integer(.numberOfFrames) ?? 1
    guard frames == 1 else {
      throw dataSet.error(.numberOfFrames, "\(frames) frames: only single-frame images are supported",
                          hint: "multi-frame (Enhanced) CT is not supported; export the series as single-frame CT images")
    }
    rows = try dataSet.requiredInteger(.rows)
    columns = try dataSet.requiredInteger(.columns)
    guard (1...65535).contains(rows) else { throw dataSet.error(.rows, "\(rows) rows is out of range") }
    guard (1...65535).contains(columns) else { throw dataSet.error(.columns, "\(columns) columns is out of range") }
    bitsAllocated = try dataSet.requiredInteger(.bitsAllocated)
    guard [8, 16, 32].contains(bitsAllocated) else {
      throw dataSet.error(.bitsAllocated, "\(bitsAllocated) bits allocated: only 8, 16 and 32 are supported")
    }
    bitsStored = try dataSet.integer(.bitsStored) ?? bitsAllocated
    guard (1...bitsAllocated).contains(bitsStored) else {
      throw dataSet.error(.bitsStored, "\(bitsStored) bits stored does not fit in \(bitsAllocated) bits allocated")
    }
    highBit = try dataSet.integer(.highBit) ?? bitsStored - 1
    guard highBit >= bitsStored - 1 && highBit < bitsAllocated else {
      throw dataSet.error(.highBit, "high bit \(highBit) is inconsistent with \(bitsStored) bits stored in \(bitsAllocated) allocated")
    }
    let representation = try dataSet.integer(.pixelRepresentation) ?? 0
    guard representation == 0 || representation == 1 else {
      throw dataSet.error(.pixelRepresentation, "pixel representation \(representation) is neither 0 (unsigned) nor 1 (signed)")
    }
    signed = representation == 1
  }

  public var pixelCount: Int { rows * columns }
  public var bytesPerPixel: Int { bitsAllocated / 8 }

  /// The stored value of a raw pixel cell: BitsStored bits ending at HighBit, sign-extended if signed.
  @inline(__always) func value(ofCell cell: UInt32) -> Int64 {
    let shifted = UInt64(cell) >> UInt64(highBit + 1 - bitsStored)
    let mask: UInt64 = (1 << UInt64(bitsStored)) - 1
    let bits = shifted & mask
    if signed && bits >> UInt64(bitsStored - 1) & 1 == 1 { return Int64(bits) - Int64(1 << UInt64(bitsStored)) }
    return Int64(bits)
  }
}

public enum DICOMPixels {
  /// The stored values of a single-frame monochrome image, row by row.
  public static func storedValues(_ file: DICOMFile) throws(FileError) -> [Int64] {
    let dataSet = file.dataSet
    let format = try DICOMPixelFormat(dataSet)
    guard let element = dataSet[.pixelData] else {
      throw FileError(path: file.path, place: DICOMTag.pixelData.named, problem: "the image has no pixel data")
    }
    let syntax = file.transferSyntax
    switch (syntax.pixels, element.value) {
    case (.unsupported, _):
      throw dataSet.error(.pixelData, "pixel data are compressed as \(syntax.name) (transfer syntax \(syntax.uid)), which fgf does not decode",
                          hint: "convert the series to an uncompressed or RLE transfer syntax, e.g. `gdcmconv --raw` or `dcmdjpeg`")
    case (.native, .bytes(let bytes)):
      return try native(bytes, format: format, bigEndian: dataSet.bigEndian, dataSet: dataSet)
    case (.rle, .encapsulated(_, let fragments)):
      let cells = try decodeRLE(fragments, format: format, dataSet: dataSet)
      return try native(cells[...], format: format, bigEndian: false, dataSet: dataSet)
    case (.native, _):
      throw dataSet.error(.pixelData, "encapsulated pixel data in a file whose transfer syntax \(syntax.name) is not encapsulated")
    case (.rle, _):
      throw dataSet.error(.pixelData, "native pixel data in a file whose transfer syntax is RLE Lossless")
    }
  }

  /// Values from native pixel cells of `bytesPerPixel` bytes in the given byte order.
  static func native(_ bytes: ArraySlice<UInt8>, format: DICOMPixelFormat, bigEndian: Bool, dataSet: DICOMDataSet) throws(FileError) -> [Int64] {
    let count = format.pixelCount
    let width = format.bytesPerPixel
    guard bytes.count >= count * width else {
      throw dataSet.error(.pixelData, "pixel data hold \(bytes.count) bytes; \(format.rows) rows × \(format.columns) columns × \(width) bytes need \(count * width)",
                          hint: "the file may be cut short")
    }
    var values = [Int64](repeating: 0, count: count)
    var p = bytes.startIndex
    for i in 0..<count {
      var cell: UInt32 = 0
      for k in 0..<width {
        cell = cell << 8 | UInt32(bytes[bigEndian ? p + k : p + width - 1 - k])
      }
      values[i] = format.value(ofCell: cell)
      p += width
    }
    return values
  }

  /// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment count and offsets, then one
  /// PackBits segment per byte plane, most significant plane first. Returns little-endian cells.
  static func decodeRLE(_ fragments: [ArraySlice<UInt8>], format: DICOMPixelFormat, dataSet: DICOMDataSet) throws(FileError) -> [UInt8] {
    // One frame is one fragment by the standard; tolerate a frame split over several.
    let data: [UInt8] = fragments.count == 1 ? Array(fragments[0]) : fragments.flatMap { $0 }
    func fail(_ problem: String) -> FileError { dataSet.error(.pixelData, "RLE: \(problem)") }
    guard data.count >= 64 else { throw fail("the frame has \(data.count) bytes, less than its 64-byte header") }
    func u32(_ at: Int) -> Int {
      Int(UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24)
    }
    let segmentCount = u32(0)
    let width = format.bytesPerPixel
    guard segmentCount == width else {
      throw fail("\(segmentCount) segments where \(format.bitsAllocated)-bit monochrome pixels need \(width)")
    }
    let offsets = (0..<segmentCount).map { u32(4 + 4 * $0) }
    for s in 0..<segmentCount {
      let upper = s + 1 < segmentCount ? offsets[s + 1] : data.count
      guard offsets[s] >= 64 && offsets[s] <= upper && upper <= data.count else {
        throw fail("segment \(s + 1) offset \(offsets[s]) is outside the frame (\(data.count) bytes) or out of order")
      }
    }
    let plane = format.pixelCount
    // A PackBits pair of bytes yields at most 128: refuse sizes the frame cannot hold before allocating.
    guard plane * width <= data.count * 64 else {
      throw fail("\(data.count) bytes cannot hold \(format.rows) × \(format.columns) pixels of \(width) bytes")
    }
    var cells = [UInt8](repeating: 0, count: plane * width)
    for s in 0..<segmentCount {
      let end = s + 1 < segmentCount ? offsets[s + 1] : data.count
      // Segment 0 is the most significant byte; cells are little endian.
      let byteIndex = width - 1 - s
      var i = offsets[s]
      var out = 0
      while out < plane && i < end {
        let header = Int(Int8(bitPattern: data[i]))
        i += 1
        if header >= 0 {
          let count = header + 1
          guard count <= end - i else { throw fail("segment \(s + 1): a literal run of \(count) bytes passes the segment's end") }
          for k in 0..<min(count, plane - out) { cells[(out + k) * width + byteIndex] = data[i + k] }
          out += min(count, plane - out)
          i += count
        } else if header != -128 {
          guard i < end else { throw fail("segment \(s + 1): a repeat run has no byte to repeat") }
          let count = min(1 - header, plane - out)
          let byte = data[i]
          for k in 0..<count { cells[(out + k) * width + byteIndex] = byte }
          out += count
          i += 1
        }
      }
      guard out == plane else { throw fail("segment \(s + 1) decodes to \(out) bytes; \(format.rows) × \(format.columns) pixels need \(plane)") }
    }
    return cells
  }

  /// RLE Lossless encoding of little-endian cells (the inverse of `decodeRLE`), for writing test files.
  public static func encodeRLE(_ cells: [UInt8], bytesPerPixel width: Int) -> [UInt8] {
    let plane = cells.count / width
    var segments: [[UInt8]] = []
    for s in 0..<width {
      let byteIndex = width - 1 - s
      let bytes = (0..<plane).map { cells[$0 * width + byteIndex] }
      var segment = PackBits.encode(bytes)
      if segment.count % 2 == 1 { segment.append(0x80) }  // -128 is a no-op: pads to even length
      segments.append(segment)
    }
    var header = [UInt8](repeating: 0, count: 64)
    func put(_ value: Int, at: Int) {
      for k in 0..<4 { header[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }
    put(width, at: 0)
    var offset = 64
    for (s, segment) in segments.enumerated() {
      put(offset, at: 4 + 4 * s)
      offset += segment.count
    }
    return header + segments.flatMap { $0 }
  }
}

/// PackBits run-length coding as RLE Lossless uses it (PS3.5 G.3).
enum PackBits {
  static func encode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    let n = bytes.count
    while i < n {
      var run = 1
      while i + run < n && run < 128 && bytes[i + run] == bytes[i] { run += 1 }
      if run >= 2 {
        out.append(UInt8(bitPattern: Int8(1 - run)))
        out.append(bytes[i])
        i += run
      } else {
        let start = i
        i += 1
        while i < n && i - start < 128 && !(i + 1 < n && bytes[i] == bytes[i + 1]) { i += 1 }
        out.append(UInt8(i - start - 1))
        out.append(contentsOf: bytes[start..<i])
      }
    }
    return out
  }
}
