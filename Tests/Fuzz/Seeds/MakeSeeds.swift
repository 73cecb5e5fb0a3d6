// Writes the fuzz targets' seed corpora (Tests/Fuzz/Corpus/<target>/): small valid files fgf's own
// writers make (NIfTI volumes and masks, model and tensor files, cohort.csv, DICOM CT images and
// RT structure sets in every transfer syntax) plus the malformed cases the unit tests check
// (truncations, bad magic, out-of-range dimensions, inconsistent safetensors headers, broken DICOM
// lengths, RLE and nesting, bad cohort rows). Run by `Tests/Fuzz/fuzz.sh seeds`; the output is
// deterministic and committed.

import Common
import Engine
import Glibc
import Imaging

@main
struct MakeSeeds {
  static func main() throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 2 else {
      print("usage: make-seeds CORPUS_DIRECTORY")
      exit(2)
    }
    let corpus = Corpus(root: arguments[1])
    try niftiSeeds(corpus)
    safetensorsSeeds(corpus)
    try modelSeeds(corpus)
    cohortSeeds(corpus)
    dicomSeeds(corpus)
    rtstructSeeds(corpus)
    print("wrote \(corpus.count) seeds under \(arguments[1])")
  }
}

/// The corpus directories; each seed is a file named after what it holds.
final class Corpus {
  let root: String
  private(set) var count = 0
  init(root: String) { self.root = root }

  func add(_ target: String, _ name: String, _ bytes: [UInt8]) {
    let directory = root + "/" + target
    mkdir(root, 0o755)
    mkdir(directory, 0o755)
    do {
      try FileIO.writeAtomically(bytes, to: directory + "/" + name)
      count += 1
    } catch {
      print("cannot write \(name): \(error)")
      exit(1)
    }
  }
}

// MARK: NIfTI

/// Little-endian and big-endian field patches of a NIfTI-1 header.
struct NIfTIBytes {
  var bytes: [UInt8]
  mutating func put16(_ value: Int, at offset: Int) {
    let v = UInt16(truncatingIfNeeded: value)
    bytes[offset] = UInt8(v & 0xFF); bytes[offset + 1] = UInt8(v >> 8)
  }
  mutating func putFloat(_ value: Float, at offset: Int) {
    let v = value.bitPattern
    for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
  }
  /// The same file with every header field and voxel in big-endian order (int16 voxels).
  func bigEndian(voxelSize: Int) -> [UInt8] {
    var out = bytes
    func swap(_ offset: Int, _ size: Int) { out[offset..<(offset + size)].reverse() }
    swap(0, 4)
    for k in 0..<8 { swap(40 + 2 * k, 2) }
    for offset in [68, 70, 72, 252, 254] { swap(offset, 2) }
    for offset in stride(from: 76, to: 124, by: 4) { swap(offset, 4) }
    for offset in stride(from: 256, to: 328, by: 4) { swap(offset, 4) }
    var p = 352
    while p + voxelSize <= out.count {
      swap(p, voxelSize)
      p += voxelSize
    }
    return out
  }
}

/// A NIfTI-2 single file with the same content as the little-endian NIfTI-1 `one` (int16 data at 352).
func nifti2(from one: [UInt8], dims: [Int], magic: [UInt8] = Array("n+2\0".utf8) + [13, 10, 26, 10]) -> [UInt8] {
  var h = [UInt8](repeating: 0, count: 544)
  func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
    for k in 0..<MemoryLayout<T>.size { h[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
  }
  func f64(_ value: Double, _ offset: Int) { put(value.bitPattern, offset) }
  func f32(at offset: Int) -> Double {
    Double(Float(bitPattern: UInt32(one[offset]) | UInt32(one[offset + 1]) << 8 | UInt32(one[offset + 2]) << 16 | UInt32(one[offset + 3]) << 24))
  }
  put(Int32(540), 0)
  for (k, byte) in magic.enumerated() { h[4 + k] = byte }
  put(Int16(4), 12); put(Int16(16), 14)
  for (k, d) in dims.enumerated() { put(Int64(d), 16 + 8 * k) }
  for k in 0..<8 { f64(f32(at: 76 + 4 * k), 104 + 8 * k) }
  put(Int64(544), 168)
  f64(1, 176); f64(0, 184)
  put(Int32(1), 344); put(Int32(1), 348)
  for k in 0..<6 { f64(f32(at: 256 + 4 * k), 352 + 8 * k) }
  for k in 0..<12 { f64(f32(at: 280 + 4 * k), 400 + 8 * k) }
  return h + Array(one[352...])
}

func niftiSeeds(_ corpus: Corpus) throws {
  let scratch = "/tmp/fgf-make-seeds-\(getpid())"
  mkdir(scratch, 0o700)
  defer { unlink(scratch + "/v.nii"); rmdir(scratch) }
  func written(_ write: (String) throws(FileError) -> Void) throws -> [UInt8] {
    let path = scratch + "/v.nii"
    try write(path)
    return try FileIO.read(path)
  }
  // Valid files fgf writes: an int16 CT, a float32 volume, a mask, an oblique grid.
  let grid = Grid(nx: 5, ny: 4, nz: 3, spacing: SIMD3(0.75, 0.75, 3))
  let ramp = (0..<grid.voxelCount).map { Float($0 * 37 % 400) - 200 }
  let ct = try written { path throws(FileError) in try NIfTIFile.write(Volume(grid: grid, voxels: ramp), to: path) }
  let float = try written { path throws(FileError) in
    try NIfTIFile.write(Volume(grid: grid, voxels: ramp.map { $0 / 7 }), to: path)
  }
  let mask = try written { path throws(FileError) in
    try NIfTIFile.write(Mask(grid: grid, voxels: ramp.map { $0 > 0 ? 1 : 0 }), to: path)
  }
  let c = 0.8, s = 0.6
  let oblique = Grid(nx: 3, ny: 3, nz: 2, spacing: SIMD3(1, 1, 2),
                     affine: [c, -s, 0, 10, s, c, 0, -20, 0, 0, 2, 30, 0, 0, 0, 1])
  let tilted = try written { path throws(FileError) in
    try NIfTIFile.write(Volume(grid: oblique, voxels: (0..<18).map { Float($0) }), to: path)
  }
  var valid: [(String, [UInt8])] = [("ct-int16", ct), ("float32", float), ("mask-uint8", mask), ("oblique", tilted)]

  // The malformed cases of NIfTIErrorTests, on the int16 CT.
  var broken: [(String, [UInt8])] = []
  broken.append(("text", Array(String(repeating: "patient_id,image\n", count: 40).utf8)))
  broken.append(("empty", []))
  var analyze = ct; analyze.replaceSubrange(344..<348, with: [0, 0, 0, 0]); broken.append(("analyze-magic", analyze))
  broken.append(("truncated-header", Array(ct.prefix(200))))
  broken.append(("truncated-data", Array(ct.dropLast(10))))
  for (name, dims) in [("dim0-zero", [0, 5, 4, 3]), ("dim0-eight", [8, 5, 4, 3]), ("dim0-negative", [-3, 5, 4, 3]),
                       ("dim1-zero", [3, 0, 4, 3]), ("dim2-negative", [3, 5, -3, 3]), ("dim4-zero", [4, 5, 4, 3, 0]),
                       ("huge-declared", [3, 1024, 1024, 512]), ("too-many-voxels", [3, 32767, 32767, 2]),
                       ("four-d", [4, 5, 4, 3, 2]), ("two-d", [2, 5, 4])] {
    var file = NIfTIBytes(bytes: ct)
    for k in 0..<8 { file.put16(k < dims.count ? dims[k] : 1, at: 40 + 2 * k) }
    broken.append((name, file.bytes))
  }
  for (name, code) in [("complex64", 32), ("rgb24", 128), ("datatype-9999", 9999), ("uint8-as-int16", 2), ("float64", 64)] {
    var file = NIfTIBytes(bytes: ct)
    file.put16(code, at: 70)
    broken.append(("datatype-" + name, file.bytes))
  }
  for (name, offset) in [("inside-header", Float(100)), ("nan", .nan), ("fraction", 352.5), ("negative", -352), ("zero", 0),
                         ("past-end", 1e9)] {
    var file = NIfTIBytes(bytes: ct)
    file.putFloat(offset, at: 108)
    broken.append(("vox-offset-" + name, file.bytes))
  }
  var pair = ct; pair.replaceSubrange(344..<348, with: Array("ni1\0".utf8)); broken.append(("pair-header-alone", pair))
  var scaled = NIfTIBytes(bytes: ct); scaled.putFloat(2.5, at: 112); scaled.putFloat(-1024, at: 116)
  valid.append(("scaled", scaled.bytes))
  var nanScale = NIfTIBytes(bytes: ct); nanScale.putFloat(.nan, at: 112); broken.append(("slope-nan", nanScale.bytes))
  var qformOnly = NIfTIBytes(bytes: ct); qformOnly.put16(0, at: 254); valid.append(("qform-only", qformOnly.bytes))
  var neither = NIfTIBytes(bytes: ct); neither.put16(0, at: 252); neither.put16(0, at: 254); neither.putFloat(0, at: 80)
  broken.append(("no-geometry-zero-pixdim", neither.bytes))
  var degenerate = NIfTIBytes(bytes: ct); for k in 0..<12 { degenerate.putFloat(0, at: 280 + 4 * k) }
  broken.append(("degenerate-sform", degenerate.bytes))
  var quaternion = NIfTIBytes(bytes: ct); quaternion.put16(0, at: 254); quaternion.putFloat(.infinity, at: 256)
  broken.append(("quaternion-infinite", quaternion.bytes))
  valid.append(("big-endian", NIfTIBytes(bytes: ct).bigEndian(voxelSize: 2)))
  let one = ct
  valid.append(("nifti2", nifti2(from: one, dims: [3, 5, 4, 3, 1, 1, 1, 1])))
  broken.append(("nifti2-bad-magic", nifti2(from: one, dims: [3, 5, 4, 3, 1, 1, 1, 1], magic: Array("n+3\0".utf8) + [13, 10, 26, 10])))
  broken.append(("nifti2-text-mode-magic", nifti2(from: one, dims: [3, 5, 4, 3, 1, 1, 1, 1], magic: Array("n+2\0".utf8) + [10, 26, 10, 0])))
  broken.append(("nifti2-dim-40000", nifti2(from: one, dims: [3, 5, 40_000, 3, 1, 1, 1, 1])))
  broken.append(("nifti2-overflow", nifti2(from: one, dims: [7, 100, 100, 100, 32768, 32768, 32768, 32768])))
  broken.append(("nifti2-truncated-header", Array(nifti2(from: one, dims: [3, 5, 4, 3, 1, 1, 1, 1]).prefix(400))))

  for (name, bytes) in valid + broken {
    corpus.add("nifti", name + ".nii", bytes)
    // nifti-gzip's input: a selector byte (one gzip member below 128, two members at or above) and the content.
    corpus.add("nifti-gzip", name, [name.count % 2 == 0 ? 0 : 0xC0] + bytes)
  }
  for (name, bytes) in valid {
    corpus.add("nifti", name + ".nii.gz", Gzip.compress(bytes, level: 1))
  }
  // Damaged gzip streams (NIfTIErrorTests.corruptGzip and truncatedData).
  var damaged = Gzip.compress(ct, level: 6)
  damaged[damaged.count / 2] ^= 0xA5
  corpus.add("nifti", "gzip-damaged.nii.gz", damaged)
  var method = Gzip.compress(ct, level: 6)
  method[2] = 7
  corpus.add("nifti", "gzip-method.nii.gz", method)
  let full = Gzip.compress(ct, level: 6)
  corpus.add("nifti", "gzip-truncated.nii.gz", Array(full.prefix(full.count - 9)))
  corpus.add("nifti", "gzip-two-members.nii.gz", Gzip.compress(Array(ct.prefix(200))) + Gzip.compress(Array(ct.dropFirst(200))))
  corpus.add("nifti", "gzip-trailing-garbage.nii.gz", full + Array("garbage".utf8))
  corpus.add("nifti", "gzip-data-cut.nii.gz", Gzip.compress(Array(ct.dropLast(10))))
}

// MARK: safetensors and models

func safetensorsFile(_ json: String, dataCount: Int, declaredLength: UInt64? = nil) -> [UInt8] {
  let length = declaredLength ?? UInt64(json.utf8.count)
  return withUnsafeBytes(of: length.littleEndian, Array.init) + Array(json.utf8) + [UInt8](repeating: 0, count: dataCount)
}

func safetensorsSeeds(_ corpus: Corpus) {
  var writer = SafetensorsWriter(metadata: ["format": "pt", "fgf.note": "seed"])
  writer.add("w", shape: [2, 3], floats: [1, -2, 3.5, .infinity, -0.0, .leastNonzeroMagnitude])
  writer.add("mask", shape: [3], uint8: [0, 1, 255])
  writer.add("index", shape: [2], int64: [-1, 1 << 40])
  writer.add("scalar", shape: [], floats: [42])
  writer.add("empty", shape: [0, 4], floats: [])
  corpus.add("safetensors", "written", writer.encoded())
  // One tensor of every dtype, as PyTorch writes them.
  var offset = 0
  var members: [String] = []
  for dtype in SafetensorsDType.allCases {
    let bytes = 2 * dtype.size
    members.append("\"\(dtype.rawValue.lowercased())\":{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[2],\"data_offsets\":[\(offset),\(offset + bytes)]}")
    offset += bytes
  }
  var every = safetensorsFile("{" + members.joined(separator: ",") + "}", dataCount: offset)
  for k in (every.count - offset)..<every.count { every[k] = UInt8(truncatingIfNeeded: k &* 37) }
  corpus.add("safetensors", "every-dtype", every)
  // The malformed cases of SafetensorsTests.
  corpus.add("safetensors", "short", [UInt8](repeating: 0, count: 5))
  corpus.add("safetensors", "absurd-length", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B, 0x7D])
  corpus.add("safetensors", "length-past-end", [100, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])
  let cases: [(String, String, Int)] = [
    ("invalid-json", #"{"a":"#, 0),
    ("not-object", #"[1,2]"#, 0),
    ("unknown-dtype", #"{"a":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}"#, 4),
    ("size-mismatch", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, 4),
    ("truncated", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 2),
    ("overlap", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, 6),
    ("gap", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8),
    ("trailing-bytes", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 9),
    ("negative-dim", #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4),
    ("huge-shape", #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, 4),
    ("reversed-offsets", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, 4),
    ("no-offsets", #"{"a":{"dtype":"F32","shape":[1]}}"#, 4),
    ("metadata-number", #"{"__metadata__":{"k":1}}"#, 0),
    ("entry-number", #"{"a":5}"#, 0),
    ("nested-deep", String(repeating: "[", count: 300) + String(repeating: "]", count: 300), 0),
    ("unicode-escapes", #"{"\u00e9\ud83d\ude00":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, 1),
    ("duplicate-key", #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, 2),
    ("big-numbers", #"{"a":{"dtype":"U8","shape":[1e3],"data_offsets":[0,1.0]}}"#, 1),
  ]
  for (name, json, data) in cases { corpus.add("safetensors", name, safetensorsFile(json, dataCount: data)) }
}

func modelSeeds(_ corpus: Corpus) throws {
  // Small architectures of every layer type (the default FGF-CNN's 94 kB would only slow the fuzzer).
  let tiny = Architecture(input: [1, 4, 4], layers: [
    .conv2d(name: "conv1", inChannels: 1, outChannels: 2, kernel: 3, padding: 1), .silu, .maxPool2d(size: 2),
    .conv2d(name: "conv2", inChannels: 2, outChannels: 2, kernel: 1, padding: 0), .relu,
    .globalAvgPool, .linear(name: "fc", inFeatures: 2, outFeatures: 1),
  ])
  let linear = Architecture(input: [1, 2, 2], layers: [.globalAvgPool, .linear(name: "fc", inFeatures: 1, outFeatures: 1)])
  for (name, architecture) in [("tiny-cnn", tiny), ("linear-only", linear)] {
    let model = try Model(architecture: architecture, seed: 7)
    model.metadata = ["fgf.training": #"{"lambda":0,"epochs":1}"#, "fgf.metrics": #"{"auc":0.5}"#]
    corpus.add("model", name, model.encoded())
  }
  // The malformed cases of ModelFileTests.
  func header(_ tensors: String, arch: String? = #"{"input":[1,2,2],"layers":[{"type":"global_avg_pool"},{"type":"linear","name":"fc","in":1,"out":1}]}"#) -> String {
    let metadata = arch.map { "\"__metadata__\":{\"fgf.arch\":\(JSONValue.string($0).serialized)}," } ?? ""
    return "{" + metadata + tensors + "}"
  }
  let good = #""fc.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#
  let cases: [(String, String, Int)] = [
    ("no-arch", header(good, arch: nil), 8),
    ("unknown-layer", header(good, arch: #"{"input":[1,2,2],"layers":[{"type":"dense"}]}"#), 8),
    ("two-logits", header(good, arch: #"{"input":[1,2,2],"layers":[{"type":"global_avg_pool"},{"type":"linear","name":"fc","in":1,"out":2}]}"#), 8),
    ("missing-bias", header(#""fc.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]}"#), 4),
    ("extra-tensor", header(good + #","extra":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}"#), 12),
    ("wrong-shape", header(#""fc.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#), 8),
    ("wrong-dtype", header(#""fc.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}"#), 12),
    ("huge-architecture", header(good, arch: #"{"input":[4096,1024,1024],"layers":[{"type":"conv2d","name":"c","in":4096,"out":4096,"kernel":15,"padding":7},{"type":"global_avg_pool"},{"type":"linear","name":"fc","in":4096,"out":1}]}"#), 8),
    ("valid-minimal", header(good), 8),
  ]
  for (name, json, data) in cases { corpus.add("model", name, safetensorsFile(json, dataCount: data)) }
}

// MARK: cohort.csv

func cohortSeeds(_ corpus: Corpus) {
  let cohort = SyntheticCohort(patients: 6, seed: 11)
  corpus.add("cohort-csv", "synthetic", Array(CohortCSV.encode(records: cohort.recordsWithPaths, extraColumns: SyntheticCohort.extraColumns).utf8))
  let texts: [(String, String)] = [
    ("minimal", "patient_id,image,mask,label,split\nP1,i.nii.gz,m.nii.gz,1,train\n"),
    ("reordered-columns", "split,Label,MASK,image,patient_id,age\nVAL,0.0,m.nii,i.nii,P2,61\ntest,1.0,m2.nii,i2.nii,P3,\n"),
    ("crlf-bom", "\u{FEFF}patient_id,image,mask,label,split\r\nP1,i.nii,m.nii,0,train\r\n"),
    ("quoted", "patient_id,image,mask,label,split,note\n\"P,1\",\"i \"\"x\"\".nii\",m.nii,1,train,\"two\nlines\"\n"),
    ("blank-lines", "patient_id,image,mask,label,split\n\n\nP1,i.nii,m.nii,1,train\n\r\n"),
    ("lone-cr", "patient_id,image,mask,label,split\rP1,i.nii,m.nii,1,train\r"),
    ("unicode", "patient_id,image,mask,label,split,名前\nPé,ïmage.nii,m.nii,0,val,😀\n"),
    ("unclosed-quote", "patient_id,image,mask,label,split\nP1,\"i.nii,m.nii,1,train\n"),
    ("quote-in-field", "patient_id,image,mask,label,split\nP\"1,i.nii,m.nii,1,train\n"),
    ("text-after-quote", "patient_id,image,mask,label,split\n\"P1\"x,i.nii,m.nii,1,train\n"),
    ("bad-label", "patient_id,image,mask,label,split\nP1,i.nii,m.nii,2,train\nP2,i.nii,m.nii,yes,train\n"),
    ("bad-split", "patient_id,image,mask,label,split\nP1,i.nii,m.nii,1,training\n"),
    ("missing-column", "patient_id,image,label,split\nP1,i.nii,1,train\n"),
    ("duplicate-column", "patient_id,image,mask,label,split,Image\nP1,i.nii,m.nii,1,train,x\n"),
    ("duplicate-id", "patient_id,image,mask,label,split\nP1,i.nii,m.nii,1,train\nP1,j.nii,n.nii,0,test\n"),
    ("field-count", "patient_id,image,mask,label,split\nP1,i.nii,m.nii,1\nP2,i.nii,m.nii,1,train,extra\n"),
    ("empty-fields", "patient_id,image,mask,label,split\n ,i.nii,m.nii,1,train\nP2,,m.nii,1,train\nP3,i.nii, ,1,train\n"),
    ("header-only", "patient_id,image,mask,label,split\n"),
    ("empty", ""),
    ("single-empty-field", "\"\"\n\"\"\n"),
  ]
  for (name, text) in texts { corpus.add("cohort-csv", name, Array(text.utf8)) }
  corpus.add("cohort-csv", "invalid-utf8", Array("patient_id,image,mask,label,split\nP".utf8) + [0xC3, 0x28] + Array(",i,m,1,train\n".utf8))
}

// MARK: DICOM

let syntaxes: [(String, DICOMTransferSyntax)] = [
  ("implicit", .implicitLittle), ("explicit", .explicitLittle), ("big", .explicitBig),
  ("deflated", .deflatedExplicitLittle), ("rle", .rleLossless),
]

func smallSpec() -> CTSampleSpec {
  var spec = CTSampleSpec()
  spec.rows = 3; spec.columns = 4; spec.slices = 1
  return spec
}

func dicomSeeds(_ corpus: Corpus) {
  let spec = smallSpec()
  for (name, syntax) in syntaxes {
    let image = DICOMSamples.ctImages(spec, encapsulateRLE: syntax == .rleLossless)[0]
    corpus.add("dicom", "ct-\(name)", DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: syntax)))
    corpus.add("dicom", "ct-\(name)-undefined", DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: syntax, undefinedLengths: true)))
  }
  let image = DICOMSamples.ctImages(spec)[0]
  corpus.add("dicom", "ct-no-preamble", DICOMWriter.encode(image, options: DICOMWriteOptions(preamble: false)))
  corpus.add("dicom", "ct-no-meta", DICOMWriter.encode(image, options: DICOMWriteOptions(preamble: false, meta: false)))
  corpus.add("dicom", "ct-implicit-no-meta", DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: .implicitLittle, preamble: false, meta: false)))
  for (name, bits, stored, high, signed) in [("8bit", 8, 8, 7, false), ("12in16", 16, 12, 11, true), ("32bit", 32, 32, 31, true), ("shifted", 16, 12, 13, false)] {
    var s = spec
    s.bitsAllocated = bits; s.bitsStored = stored; s.highBit = high; s.signed = signed
    corpus.add("dicom", "ct-\(name)", DICOMWriter.encode(DICOMSamples.ctImages(s, hu: { _ in 3 })[0]))
  }
  // The malformed cases of DICOMRejectionTests.
  corpus.add("dicom", "not-dicom", Array("patient_id,label\nA,1\n".utf8))
  let bytes = DICOMWriter.encode(image)
  func find(_ pattern: [UInt8]) -> Int? {
    (0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
  }
  if let patient = find([0x10, 0x00, 0x20, 0x00, 0x4C, 0x4F]) {
    var long = bytes
    long[patient + 6] = 0xFF; long[patient + 7] = 0xFF
    corpus.add("dicom", "length-past-end", long)
  }
  if let pixels = find([0xE0, 0x7F, 0x10, 0x00, 0x4F, 0x57]) {
    for (name, length) in [("huge", UInt32(0xFFFF_FFF0)), ("sign", 0x8000_0000)] as [(String, UInt32)] {
      var huge = bytes
      for k in 0..<4 { huge[pixels + 8 + k] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(k))) }
      corpus.add("dicom", "pixel-length-\(name)", huge)
    }
  }
  var large = image
  large.set(.rows, integers: [65535]); large.set(.columns, integers: [65535])
  corpus.add("dicom", "declared-65535-squared", DICOMWriter.encode(large))
  let changes: [(String, (inout DICOMDataSet) -> Void)] = [
    ("rgb", { $0.set(.samplesPerPixel, integers: [3]); $0.set(.photometricInterpretation, string: "RGB") }),
    ("frames", { $0.set(.numberOfFrames, integers: [40]) }),
    ("bits-12", { $0.set(.bitsAllocated, integers: [12]) }),
    ("stored-17", { $0.set(.bitsStored, integers: [17]) }),
    ("highbit-16", { $0.set(.highBit, integers: [16]) }),
    ("representation-2", { $0.set(.pixelRepresentation, integers: [2]) }),
    ("position-2-values", { $0.set(.imagePositionPatient, decimals: [1, 2]) }),
    ("position-text", { $0.set(.imagePositionPatient, string: "1\\x\\3", vr: .DS) }),
    ("orientation-parallel", { $0.set(.imageOrientationPatient, decimals: [1, 0, 0, 1, 0, 0]) }),
    ("spacing-zero", { $0.set(.pixelSpacing, decimals: [0, 1]) }),
    ("spacing-tiny", { $0.set(.pixelSpacing, decimals: [1e-300, 1e300]) }),
    ("slope-zero", { $0.set(.rescaleSlope, decimals: [0]) }),
    ("no-sop-uid", { $0.elements[.sopInstanceUID] = nil }),
    ("no-pixels", { $0.elements[.pixelData] = nil }),
  ]
  for (name, change) in changes {
    var changed = image
    change(&changed)
    corpus.add("dicom", "bad-\(name)", DICOMWriter.encode(changed))
  }
  var deep = DICOMDataSet()
  deep.set(.patientID, string: "deep")
  for _ in 0..<20 {
    var outer = DICOMDataSet()
    outer.set(DICOMTag(0x0008, 0x1115), items: [deep])
    deep = outer
  }
  corpus.add("dicom", "deep-nesting", DICOMWriter.encode(deep, options: DICOMWriteOptions(undefinedLengths: true)))
  func element(_ group: UInt16, _ number: UInt16, _ vr: String, _ length: UInt32, long: Bool) -> [UInt8] {
    var out = [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(number & 0xFF), UInt8(number >> 8)] + Array(vr.utf8)
    if long { out += [0, 0] + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * UInt32($0))) } } else { out += [UInt8(length & 0xFF), UInt8(length >> 8)] }
    return out
  }
  let start = element(0x0008, 0x0060, "CS", 2, long: false) + Array("CT".utf8)
  let hand: [(String, [UInt8])] = [
    ("undefined-ut", start + element(0x0010, 0x0020, "UT", 0xFFFF_FFFF, long: true)),
    ("sequence-no-item", start + element(0x0008, 0x1115, "SQ", 0xFFFF_FFFF, long: true) + [0x08, 0, 0x18, 0, 0, 0, 0, 0]),
    ("sequence-unterminated", start + element(0x0008, 0x1115, "SQ", 0xFFFF_FFFF, long: true)),
    ("item-too-long", start + element(0x0008, 0x1115, "SQ", 8, long: true) + [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0x7F]),
    ("stray-item-delimiter", start + [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]),
    ("bad-vr", start + element(0x0010, 0x0020, "Q!", 2, long: false) + [0x41, 0x42]),
  ]
  for (name, bytes) in hand { corpus.add("dicom", "hand-\(name)", bytes) }
  // Broken RLE frames (DICOMRejectionTests.brokenRLEIsAnError).
  var rleSpec = spec
  rleSpec.rows = 4; rleSpec.columns = 4
  let rle = DICOMSamples.ctImages(rleSpec, encapsulateRLE: true)[0]
  if case .encapsulated(_, let fragments) = rle[.pixelData]?.value {
    let frame = Array(fragments[0])
    let edits: [(String, (inout [UInt8]) -> Void)] = [
      ("segments-3", { $0[0] = 3 }), ("offset-huge", { $0[4] = 0xFF; $0[5] = 0xFF; $0[6] = 0xFF; $0[7] = 0x7F }),
      ("cut", { $0.removeLast($0.count - 70) }), ("header-only", { $0 = Array($0.prefix(40)) }),
    ]
    for (name, edit) in edits {
      var bytes = frame
      edit(&bytes)
      var changed = rle
      changed.setEncapsulatedPixelData(fragments: [bytes])
      corpus.add("dicom", "rle-\(name)", DICOMWriter.encode(changed, options: DICOMWriteOptions(transferSyntax: .rleLossless)))
    }
  }
  var deflated = DICOMWriter.encode(image, options: DICOMWriteOptions(transferSyntax: .deflatedExplicitLittle))
  for k in (deflated.count - 40)..<(deflated.count - 32) { deflated[k] ^= 0x5A }
  corpus.add("dicom", "deflate-corrupt", deflated)
  // An RT structure set is a DICOM file too.
  corpus.add("dicom", "rtstruct", DICOMWriter.encode(DICOMSamples.rtStructure(spec, rois: [("GTV", [DICOMSamples.square(spec, slice: 0, columns: 0, 2, rows: 0, 2)])])))
}

func rtstructSeeds(_ corpus: Corpus) {
  let spec = CTSampleSpec()  // the series the rtstruct target rasterises onto
  let square = DICOMSamples.square(spec, slice: 1, columns: 1, 4, rows: 1, 5)
  let inner = DICOMSamples.square(spec, slice: 1, columns: 2, 3, rows: 2, 4)
  let unreferenced = DICOMSamples.square(spec, slice: 2, columns: 0, 5, rows: 0, 6, reference: false)
  let farAway = DICOMSamples.Contour(points: [SIMD3(0, 0, 500), SIMD3(1, 0, 500), SIMD3(1, 1, 500)], imageUID: nil)
  let open = DICOMSamples.Contour(points: square.points, imageUID: square.imageUID, geometricType: "OPEN_PLANAR")
  let point = DICOMSamples.Contour(points: [square.points[0]], imageUID: square.imageUID, geometricType: "POINT")
  let twoPoints = DICOMSamples.Contour(points: Array(square.points.prefix(2)), imageUID: square.imageUID)
  let sets: [(String, DICOMDataSet)] = [
    ("square", DICOMSamples.rtStructure(spec, rois: [("GTV", [square])])),
    ("annulus", DICOMSamples.rtStructure(spec, rois: [("GTVp", [square, inner])])),
    ("several-rois", DICOMSamples.rtStructure(spec, rois: [("GTV-1", [square]), ("GTVn", [unreferenced]), ("Spinal Cord", [inner])])),
    ("unreferenced-and-far", DICOMSamples.rtStructure(spec, rois: [("GTV", [unreferenced, farAway])])),
    ("open-point-short", DICOMSamples.rtStructure(spec, rois: [("GTV", [open, point, twoPoints])])),
    ("other-frame", DICOMSamples.rtStructure(spec, rois: [("GTV", [square])], frameOfReferenceUID: "2.25.999")),
    ("no-rois", DICOMSamples.rtStructure(spec, rois: [])),
  ]
  for (name, set) in sets {
    for (syntaxName, syntax) in syntaxes where syntax != .rleLossless {
      corpus.add("rtstruct", "\(name)-\(syntaxName)", DICOMWriter.encode(set, options: DICOMWriteOptions(transferSyntax: syntax)))
    }
    corpus.add("rtstruct", "\(name)-undefined", DICOMWriter.encode(set, options: DICOMWriteOptions(undefinedLengths: true)))
  }
  // Contour data that lies: point counts, non-numbers, non-finite values.
  var lying = DICOMSamples.rtStructure(spec, rois: [("GTV", [square])])
  if var contours = lying.items(.roiContourSequence).first, let contour = contours.items(.contourSequence).first {
    for (name, edit) in [("count", { (c: inout DICOMDataSet) in c.set(.numberOfContourPoints, integers: [99]) }),
                         ("not-triples", { $0.set(.contourData, decimals: [1, 2, 3, 4]) }),
                         ("infinite", { $0.set(.contourData, string: "1\\2\\inf\\4\\5\\6\\7\\8\\9", vr: .DS) }),
                         ("huge", { $0.set(.contourData, decimals: [1e300, 0, -30, -1e300, 1e300, -30, 0, -1e300, -30]) })]
      as [(String, (inout DICOMDataSet) -> Void)] {
      var changed = contour
      edit(&changed)
      contours.set(.contourSequence, items: [changed])
      lying.set(.roiContourSequence, items: [contours])
      corpus.add("rtstruct", "contour-\(name)", DICOMWriter.encode(lying))
    }
  }
}
