// Tests of Gzip: round trips, streams made by another implementation (Python's gzip and zlib),
// multi-member streams, prefixes, and every failure: corrupt, truncated, trailing bytes, limits.
import Testing
import Common
import Imaging

@Suite struct GzipTests {
  /// Pseudo-random bytes with some repetition, so they compress but not trivially.
  func sample(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var random = SeededRandom(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.index(16) * 17) }
  }

  let text = Array(String(repeating: "feature gradient flow\n", count: 3).utf8)

  @Test func roundTripsManySizes() throws {
    for count in [0, 1, 2, 100, 65_536, 300_001] {
      let data = sample(count, seed: UInt64(count))
      let packed = Gzip.compress(data)
      #expect(Gzip.isGzip(packed))
      #expect(try Gzip.decompress(packed, limit: count, path: "p") == data)
      #expect(try Gzip.inflateRaw(Gzip.deflateRaw(data, level: 9)[...], limit: count, path: "p") == data)
    }
  }

  @Test func readsStreamsWrittenByPython() throws {
    // gzip.GzipFile(filename='ct.nii', mtime=1700000000): header with FNAME and MTIME set.
    let gzip: [UInt8] = [
      0x1f, 0x8b, 0x08, 0x08, 0x00, 0xf1, 0x53, 0x65, 0x02, 0xff, 0x63, 0x74, 0x2e, 0x6e, 0x69, 0x69, 0x00,
      0x4b, 0x4b, 0x4d, 0x2c, 0x29, 0x2d, 0x4a, 0x55, 0x48, 0x2f, 0x4a, 0x4c, 0xc9, 0x4c, 0xcd, 0x2b, 0x51,
      0x48, 0xcb, 0xc9, 0x2f, 0xe7, 0x4a, 0x23, 0x41, 0x14, 0x00, 0xfa, 0x04, 0x0f, 0x77, 0x42, 0x00, 0x00, 0x00]
    // zlib.compress(data, 9).
    let zlib: [UInt8] = [
      0x78, 0xda, 0x4b, 0x4b, 0x4d, 0x2c, 0x29, 0x2d, 0x4a, 0x55, 0x48, 0x2f, 0x4a, 0x4c, 0xc9, 0x4c, 0xcd,
      0x2b, 0x51, 0x48, 0xcb, 0xc9, 0x2f, 0xe7, 0x4a, 0x23, 0x41, 0x14, 0x00, 0x47, 0x40, 0x18, 0xb5]
    #expect(try Gzip.decompress(gzip, limit: 1000, path: "p") == text)
    #expect(try Gzip.decompress(zlib, limit: 1000, path: "p") == text)
    #expect(!Gzip.isGzip(zlib))
  }

  @Test func readsEveryMemberOfAMultiMemberStream() throws {
    let (a, b, c) = (sample(5000, seed: 2), [UInt8](), sample(70_000, seed: 3))
    let stream = Gzip.compress(a) + Gzip.compress(b, level: 1) + Gzip.compress(c, level: 9)
    #expect(try Gzip.decompress(stream, limit: a.count + c.count, path: "p") == a + b + c)
    // Zero padding after the last member (tape-style blocking) is accepted.
    #expect(try Gzip.decompress(stream + [0, 0, 0, 0], limit: 100_000, path: "p") == a + b + c)
  }

  @Test func corruptStreamsAreErrors() {
    let packed = Gzip.compress(sample(20_000))
    var flipped = packed
    flipped[packed.count / 2] ^= 0x55
    expectError(flipped, containing: "corrupt")
    var badChecksum = packed
    badChecksum[packed.count - 6] ^= 0x01  // inside the CRC-32 of the trailer
    expectError(badChecksum, containing: "incorrect data check")
    var badMethod = packed
    badMethod[2] = 7  // compression method other than deflate
    expectError(badMethod, containing: "corrupt")
    expectError(Array("plain text, not compressed".utf8), containing: "corrupt")
  }

  @Test func truncatedStreamsAreErrors() {
    let packed = Gzip.compress(sample(20_000))
    for cut in [1, 4, 8, packed.count / 2, packed.count - 10] {
      expectError(Array(packed.dropLast(cut)), containing: "truncated")
    }
    expectError([], containing: "empty")
    expectError([0x1f, 0x8b], containing: "truncated")
  }

  @Test func trailingGarbageIsAnError() {
    let packed = Gzip.compress(text)
    expectError(packed + Array("junk".utf8), containing: "unexpected bytes after the end")
  }

  @Test func outputIsLimited() throws {
    let data = sample(100_000)
    let packed = Gzip.compress(data)
    #expect(try Gzip.decompress(packed, limit: data.count, path: "p") == data)
    expectError(packed, limit: data.count - 1, containing: "more than the 99999 bytes expected")
    // A bomb: 64 MiB of zeros in about 64 KiB. Refused after inflating only up to the limit.
    let bomb = Gzip.compress([UInt8](repeating: 0, count: 64 << 20), level: 9)
    #expect(bomb.count < 100_000)
    expectError(bomb, limit: 1 << 20, containing: "more than the 1048576 bytes expected")
  }

  @Test func prefixReadsOnlyTheStart() throws {
    let data = sample(200_000)
    let packed = Gzip.compress(data)
    #expect(try Gzip.decompressPrefix(packed[...], count: 540, path: "p") == Array(data[..<540]))
    // Only the first bytes of the file are at hand: fewer bytes, no error.
    let partial = try Gzip.decompressPrefix(packed[..<200], count: 100_000, path: "p")
    #expect(!partial.isEmpty && partial.count < 100_000 && partial == Array(data[..<partial.count]))
    // Asking for more than there is gives everything.
    #expect(try Gzip.decompressPrefix(packed[...], count: 300_000, path: "p") == data)
    // Corruption inside the prefix is still an error.
    var flipped = packed
    flipped[20] ^= 0xFF
    #expect(throws: FileError.self) { try Gzip.decompressPrefix(flipped[...], count: 100_000, path: "p") }
  }

  @Test func keepsAPrefixButChecksTheWholeStream() throws {
    let data = sample(300_000)
    let packed = Gzip.compress(data)
    #expect(try Gzip.decompress(packed, keeping: 1000, limit: data.count, path: "p") == Array(data[..<1000]))
    #expect(try Gzip.decompress(packed, keeping: 400_000, limit: 500_000, path: "p") == data)
    var badChecksum = packed
    badChecksum[packed.count - 6] ^= 0x01
    #expect(throws: FileError.self) { try Gzip.decompress(badChecksum, keeping: 1000, limit: data.count, path: "p") }
    #expect(throws: FileError.self) { try Gzip.decompress(packed, keeping: 1000, limit: data.count - 1, path: "p") }
    #expect(throws: FileError.self) { try Gzip.decompress(Array(packed.dropLast(20)), keeping: 1000, limit: data.count, path: "p") }
  }

  @Test func rawDeflateIgnoresPaddingAndReportsDamage() throws {
    let data = sample(10_000)
    let raw = Gzip.deflateRaw(data)
    #expect(!Gzip.isGzip(raw))
    #expect(try Gzip.inflateRaw((raw + [0])[...], limit: data.count, path: "p") == data)  // DICOM pads to even length
    #expect(throws: FileError.self) { try Gzip.inflateRaw(raw.dropLast(5), limit: data.count, path: "p") }
    #expect(throws: FileError.self) { try Gzip.inflateRaw(raw[...], limit: data.count - 1, path: "p") }
  }

  @Test func errorsNameTheFileAndTheByte() {
    do {
      _ = try Gzip.decompress(Array(Gzip.compress(text).dropLast(3)), limit: 1000, path: "scan.nii.gz")
      Issue.record("a truncated stream was accepted")
    } catch {
      #expect(error.path == "scan.nii.gz")
      #expect(error.place?.hasPrefix("compressed byte") == true)
      print("truncated gzip error: \(error)")
    }
  }

  func expectError(_ bytes: [UInt8], limit: Int = 1 << 24, containing text: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    do {
      _ = try Gzip.decompress(bytes, limit: limit, path: "f.gz")
      Issue.record("accepted a stream that should fail with \"\(text)\"", sourceLocation: sourceLocation)
    } catch {
      #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
    }
  }
}
