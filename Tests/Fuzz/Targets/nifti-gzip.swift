// Fuzz target `nifti-gzip`: the NIfTI reader on .nii.gz files whose decompressed content is the
// fuzzer's input, so that mutations reach the header and voxel checks behind a valid gzip stream
// (a mutated .nii.gz mostly fails its CRC). The input is compressed as one gzip member, or split in
// two members at the position its first byte chooses; memory and file reads must agree.

import Common
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNIfTIGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = fuzzBytes(data, size)
  guard let first = bytes.first else { return 0 }
  let content = Array(bytes.dropFirst())
  let split = content.isEmpty ? 0 : Int(first) * content.count / 255
  let compressed = first < 128
    ? Gzip.compress(content, level: 1)
    : Gzip.compress(Array(content[..<split]), level: 1) + Gzip.compress(Array(content[split...]), level: 1)
  checkNIfTI(compressed, name: "input.nii.gz")
  // Whatever the header declares, decompression never yields more than the stream holds.
  if let whole = try? Gzip.decompress(compressed, limit: content.count, path: "input") {
    require(whole == content, "gzip round trip changed the bytes")
  } else {
    require(false, "gzip refused its own stream")
  }
  return 0
}
