// Raw deflate for Deflated Explicit VR Little Endian (PS3.5 A.5), through the system zlib.
// Until the shared `Gzip` lands in main, the DICOM reader and writer use these two functions.

import CZlib
import Common

enum Gzip {
  /// Inflates a raw deflate stream (no zlib or gzip header), refusing output over `limit` bytes.
  static func inflateRaw(_ bytes: ArraySlice<UInt8>, limit: Int, path: String) throws(FileError) -> [UInt8] {
    var stream = z_stream()
    guard fgf_inflateInit2(&stream, -15) == Z_OK else { throw FileError(path: path, problem: "zlib could not start inflating") }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = Array(bytes)
    var status: Int32 = Z_OK
    let result: Result<Void, FileError> = input.withUnsafeMutableBufferPointer { inputBuffer in
      stream.next_in = inputBuffer.baseAddress
      stream.avail_in = UInt32(inputBuffer.count)
      while status != Z_STREAM_END {
        status = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
          stream.next_out = chunkBuffer.baseAddress
          stream.avail_out = UInt32(chunkBuffer.count)
          return inflate(&stream, Z_NO_FLUSH)
        }
        let produced = chunk.count - Int(stream.avail_out)
        guard status == Z_OK || status == Z_STREAM_END || (status == Z_BUF_ERROR && produced > 0 && stream.avail_in > 0) else {
          let reason = status == Z_BUF_ERROR ? "the compressed data end early" : "the compressed data are corrupt (zlib status \(status))"
          return .failure(FileError(path: path, place: "deflate byte \(Int(stream.total_in))", problem: reason))
        }
        guard output.count + produced <= limit else {
          return .failure(FileError(path: path, problem: "inflates to more than \(limit) bytes"))
        }
        output.append(contentsOf: chunk[0..<produced])
      }
      return .success(())
    }
    if case .failure(let error) = result { throw error }
    return output
  }

  /// Compresses `bytes` as a raw deflate stream (for writing deflated test files).
  static func deflateRaw(_ bytes: [UInt8], level: Int = 6) -> [UInt8] {
    var stream = z_stream()
    guard fgf_deflateInit2(&stream, Int32(level), -15) == Z_OK else { return [] }
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    input.withUnsafeMutableBufferPointer { inputBuffer in
      output.withUnsafeMutableBufferPointer { outputBuffer in
        stream.next_in = inputBuffer.baseAddress
        stream.avail_in = UInt32(inputBuffer.count)
        stream.next_out = outputBuffer.baseAddress
        stream.avail_out = UInt32(outputBuffer.count)
        _ = deflate(&stream, Z_FINISH)
      }
    }
    output.removeLast(Int(stream.avail_out))
    return output
  }
}
