// Test support for the NIfTI tests: a byte-level NIfTI-1/-2 builder written from the header
// specification independently of the production writer (every datatype, both byte orders, any
// field value, broken ones included), and a scratch directory removed after each test.

import Foundation
import Imaging

/// A NIfTI header and voxel data assembled field by field, for files the production writer never
/// makes (other datatypes, big-endian, NIfTI-2, pairs, extensions, damaged fields).
struct NIfTITestFile {
  var version = 1
  var littleEndian = true
  var singleFile = true
  /// dim[0...]: dim[0] then the lengths (padded with 1s to eight entries).
  var dim: [Int] = [3, 4, 3, 2]
  var datatype = 4
  var pixdim: [Double] = [1, 1, 1, 1]
  /// nil: right after the header, flag and extension (single file), or 0 (pair).
  var voxOffset: Double?
  var slope = 0.0, intercept = 0.0
  var qformCode = 0, sformCode = 0
  var quaternion: [Double] = [0, 0, 0]
  var quaternionOffset: [Double] = [0, 0, 0]
  var sform: [Double] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]
  /// Extension bytes after the 4-byte extension flag (the flag is set when non-empty).
  var extensionBytes: [UInt8] = []
  var magic: [UInt8]?

  var headerSize: Int { version == 2 ? 540 : 348 }

  /// Bytes of each stored value for `datatype`.
  var valueSize: Int {
    switch datatype {
    case 2, 256: 1
    case 4, 512: 2
    case 8, 16, 768: 4
    default: 8
    }
  }

  func header() -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: headerSize)
    func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
      let ordered = littleEndian ? value.littleEndian : value.bigEndian
      withUnsafeBytes(of: ordered) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }
    func f32(_ value: Double, _ offset: Int) { put(Float(value).bitPattern, offset) }
    func f64(_ value: Double, _ offset: Int) { put(value.bitPattern, offset) }
    let dims = dim + [Int](repeating: 1, count: max(0, 8 - dim.count))
    let pix = pixdim + [Double](repeating: 0, count: max(0, 8 - pixdim.count))
    let offset = voxOffset ?? (singleFile ? Double(headerSize + 4 + extensionBytes.count) : 0)
    if version == 1 {
      put(Int32(348), 0)
      for i in 0..<8 { put(Int16(truncatingIfNeeded: dims[i]), 40 + 2 * i) }
      put(Int16(datatype), 70)
      put(Int16(valueSize * 8), 72)
      for i in 0..<8 { f32(pix[i], 76 + 4 * i) }
      f32(offset, 108); f32(slope, 112); f32(intercept, 116)
      put(Int16(qformCode), 252); put(Int16(sformCode), 254)
      for i in 0..<3 { f32(quaternion[i], 256 + 4 * i); f32(quaternionOffset[i], 268 + 4 * i) }
      for i in 0..<12 { f32(sform[i], 280 + 4 * i) }
      bytes.replaceSubrange(344..<348, with: magic ?? Array((singleFile ? "n+1\0" : "ni1\0").utf8))
    } else {
      put(Int32(540), 0)
      bytes.replaceSubrange(4..<12, with: magic ?? (Array((singleFile ? "n+2\0" : "ni2\0").utf8) + [13, 10, 26, 10]))
      put(Int16(datatype), 12)
      put(Int16(valueSize * 8), 14)
      for i in 0..<8 { put(Int64(dims[i]), 16 + 8 * i) }
      for i in 0..<8 { f64(pix[i], 104 + 8 * i) }
      put(Int64(offset), 168); f64(slope, 176); f64(intercept, 184)
      put(Int32(qformCode), 344); put(Int32(sformCode), 348)
      for i in 0..<3 { f64(quaternion[i], 352 + 8 * i); f64(quaternionOffset[i], 376 + 8 * i) }
      for i in 0..<12 { f64(sform[i], 400 + 8 * i) }
    }
    return bytes
  }

  /// The stored bytes of `values` as `datatype` in this file's byte order.
  func data(_ values: [Double]) -> [UInt8] {
    var bytes: [UInt8] = []
    func put<T: FixedWidthInteger>(_ value: T) {
      withUnsafeBytes(of: littleEndian ? value.littleEndian : value.bigEndian) { bytes.append(contentsOf: $0) }
    }
    for value in values {
      switch datatype {
      case 2: put(UInt8(value))
      case 256: put(Int8(value))
      case 4: put(Int16(value))
      case 512: put(UInt16(value))
      case 8: put(Int32(value))
      case 768: put(UInt32(value))
      case 1024: put(Int64(value))
      case 1280: put(UInt64(value))
      case 16: put(Float(value).bitPattern)
      case 64: put(value.bitPattern)
      default: put(UInt32(0))  // unsupported types: any 4 bytes
      }
    }
    return bytes
  }

  /// Header, extension flag and extension, (padding up to vox_offset), then the data.
  func singleFileBytes(_ values: [Double]) -> [UInt8] {
    var bytes = header()
    bytes += extensionBytes.isEmpty ? [0, 0, 0, 0] : [1, 0, 0, 0]
    bytes += extensionBytes
    let offset = Int(voxOffset ?? Double(bytes.count))
    if offset > bytes.count { bytes += [UInt8](repeating: 0, count: offset - bytes.count) }
    return bytes + data(values)
  }
}

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class NIfTIScratch {
  let path: String

  init() {
    let template = FileManager.default.temporaryDirectory.appendingPathComponent("fgf-nifti-XXXXXX").path
    var buffer = Array(template.utf8CString)
    path = buffer.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Full path of `name` in the directory.
  func file(_ name: String) -> String { "\(path)/\(name)" }

  /// Writes `bytes` to `name` and returns its path.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) -> String {
    let target = file(name)
    _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
    return target
  }
}

/// Voxel values 0, 1, 2, … laid out in stored order, handy for following voxels through a reorientation.
func nifTIRamp(_ count: Int, scale: Double = 1, offset: Double = 0) -> [Double] {
  (0..<count).map { Double($0) * scale + offset }
}

/// Peak resident set size of this process so far, in KiB.
func peakResidentKiB() -> Int {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return usage.ru_maxrss
}
