// GzipDeflater: the zlib deflate loop behind Gzip.compress and Gzip.deflateRaw. Input is fed in
// pieces of at most 1 GiB (zlib counts in 32 bits); output starts at zlib's worst-case bound.

import CZlib

enum GzipDeflater {
  static func run(_ bytes: [UInt8], level: Int, windowBits: Int32) -> [UInt8] {
    var stream = z_stream()
    guard fgf_deflateInit2(&stream, Int32(min(max(level, 0), 9)), windowBits) == Z_OK else {
      // Level and window are valid by construction, so only memory can be missing.
      preconditionFailure("zlib could not start deflating: out of memory")
    }
    defer { deflateEnd(&stream) }

    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
    var produced = 0
    let piece = 1 << 30
    bytes.withUnsafeBufferPointer { input in
      var consumed = 0
      while true {
        if produced == output.count {
          output.append(contentsOf: repeatElement(0, count: max(output.count / 2, 1 << 16)))
        }
        let available = min(input.count - consumed, piece)
        let last = consumed + available == input.count
        let room = min(output.count - produced, piece)
        stream.next_in = available > 0 ? UnsafeMutablePointer(mutating: input.baseAddress! + consumed) : nil
        stream.avail_in = UInt32(available)
        let status = output.withUnsafeMutableBufferPointer { out in
          stream.next_out = out.baseAddress! + produced
          stream.avail_out = UInt32(room)
          return deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH)
        }
        consumed += available - Int(stream.avail_in)
        produced += room - Int(stream.avail_out)
        if status == Z_STREAM_END { break }
        precondition(status == Z_OK || status == Z_BUF_ERROR, "zlib deflate failed with status \(status)")
      }
    }
    output.removeLast(output.count - produced)
    return output
  }
}
