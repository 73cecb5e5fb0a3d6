// GzipInflater: the zlib inflate loop behind Gzip's readers. Output grows geometrically from an
// estimate and never past the caller's limit; multi-member gzip streams are read to their end;
// every zlib failure becomes a FileError with the compressed byte offset where it happened.

import Common
import CZlib

enum GzipInflater {
  enum Format {
    /// gzip or zlib, told apart by the header (windowBits 15 + 32); gzip may have several members.
    case gzipOrZlib
    /// Raw deflate without header or checksum (windowBits −15).
    case raw
  }

  enum Mode {
    /// The whole stream, to its end and checksum: truncated input is an error, output past the
    /// limit is an error.
    case whole
    /// Only the kept bytes matter: stop once they are out (checking the stream's end only if it
    /// ends right there); input that ends early just gives fewer bytes.
    case prefix
  }

  /// Largest ratio deflate can reach (about 1032:1), used to bound the first allocation.
  private static let maximumRatio = 1032

  /// Inflates `bytes`, keeping the first `keep` bytes of output (all of it when nil) and, in
  /// `.whole` mode, inflating the rest into scratch space so the checksum is still verified.
  static func run(_ bytes: ArraySlice<UInt8>, format: Format, limit: Int, keep: Int? = nil, mode: Mode,
                  path: String) throws(FileError) -> [UInt8] {
    let limit = max(0, limit)
    let keep = min(limit, max(0, keep ?? limit))
    var stream = z_stream()
    guard fgf_inflateInit2(&stream, format == .raw ? -15 : 15 + 32) == Z_OK else {
      throw FileError(path: path, problem: "zlib could not start inflating (out of memory?)")
    }
    defer { inflateEnd(&stream) }

    var output = [UInt8](repeating: 0, count: min(keep, firstCapacity(bytes, format: format)))
    var produced = 0
    var discarded = 0
    var scratch = [UInt8](repeating: 0, count: mode == .prefix || keep == limit ? 1 : 1 << 16)
    let outcome: Result<Void, FileError> = bytes.withUnsafeBufferPointer { input in
      var consumed = 0
      while true {
        let status: Int32
        var used = 0
        var made = 0
        if produced < output.count {
          status = output.withUnsafeMutableBufferPointer { out in
            step(&stream, input: input, from: consumed, output: out.baseAddress! + produced,
                 capacity: out.count - produced, used: &used, made: &made)
          }
          produced += made
        } else if output.count < keep {
          let grown = min(keep, max(output.count * 2, 1 << 16))
          output.append(contentsOf: repeatElement(0, count: grown - output.count))
          continue
        } else {
          // Past what is kept: output goes to scratch space, which also tells (a single byte
          // is enough) whether the stream really ends at the limit.
          let remaining = limit - produced - discarded  // ≥ 0; one byte more reveals an overrun
          status = scratch.withUnsafeMutableBufferPointer { out in
            step(&stream, input: input, from: consumed, output: out.baseAddress!,
                 capacity: remaining < out.count ? remaining + 1 : out.count, used: &used, made: &made)
          }
          discarded += made
          if made > 0 && mode == .prefix { return .success(()) }
          if produced + discarded > limit {
            return .failure(FileError(
              path: path, place: "compressed byte \(consumed + used)",
              problem: "decompresses to more than the \(limit) bytes expected",
              hint: "the file is damaged or is not what its header declares"))
          }
        }
        consumed += used
        switch status {
        case Z_OK:
          continue
        case Z_STREAM_END:
          if format == .raw { return .success(()) }
          let rest = input[consumed...]
          if rest.isEmpty || rest.allSatisfy({ $0 == 0 }) { return .success(()) }
          if Gzip.isGzip(rest) {
            inflateReset(&stream)  // the next member of a multi-member gzip stream
            continue
          }
          return .failure(FileError(
            path: path, place: "compressed byte \(consumed)",
            problem: "unexpected bytes after the end of the compressed stream"))
        case Z_BUF_ERROR where consumed == input.count:
          if mode == .prefix { return .success(()) }
          return .failure(FileError(
            path: path, place: "compressed byte \(consumed)",
            problem: input.isEmpty ? "empty compressed stream" : "compressed stream is truncated",
            hint: "the file was cut short, e.g. by an interrupted copy"))
        case Z_NEED_DICT:
          return .failure(FileError(path: path, place: "compressed byte \(consumed)",
                                    problem: "corrupt compressed data: needs a preset dictionary"))
        case Z_MEM_ERROR:
          return .failure(FileError(path: path, problem: "out of memory while decompressing"))
        default:
          let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
          return .failure(FileError(path: path, place: "compressed byte \(consumed)",
                                    problem: "corrupt compressed data: \(reason)"))
        }
      }
    }
    try outcome.get()
    output.removeLast(output.count - produced)
    return output
  }

  /// One call of zlib's inflate from `input[from...]` into `output` (at most 4 GiB of each).
  private static func step(_ stream: inout z_stream, input: UnsafeBufferPointer<UInt8>, from: Int,
                           output: UnsafeMutablePointer<UInt8>, capacity: Int,
                           used: inout Int, made: inout Int) -> Int32 {
    let available = min(input.count - from, Int(UInt32.max))
    let room = min(capacity, Int(UInt32.max))
    stream.next_in = available > 0 ? UnsafeMutablePointer(mutating: input.baseAddress! + from) : nil
    stream.avail_in = UInt32(available)
    stream.next_out = output
    stream.avail_out = UInt32(room)
    let status = inflate(&stream, Z_NO_FLUSH)
    used = available - Int(stream.avail_in)
    made = room - Int(stream.avail_out)
    return status
  }

  /// A first output size: the gzip trailer's size field when it is plausible, else a multiple
  /// of the input. Growth from there is geometric, so a wrong guess only costs copies.
  private static func firstCapacity(_ bytes: ArraySlice<UInt8>, format: Format) -> Int {
    let ceiling = bytes.count.multipliedReportingOverflow(by: maximumRatio)
    let bound = ceiling.overflow ? Int.max : ceiling.partialValue + 1024
    if format == .gzipOrZlib, bytes.count >= 18, Gzip.isGzip(bytes) {
      let end = bytes.endIndex
      let declared = Int(bytes[end - 4]) | Int(bytes[end - 3]) << 8 | Int(bytes[end - 2]) << 16
        | Int(bytes[end - 1]) << 24
      if declared <= bound { return max(declared, 64) }
    }
    return min(bound, bytes.count * 4 + (1 << 16))
  }
}
