// Runs `fgf cohort` on cohort directories written here byte by byte (plain NIfTI-1 files, so the
// test does not depend on fgf's own writer): summary, JSON, --crops with a failing patient, an
// invalid row, --skip-invalid.
import Foundation
import Testing

/// A temporary cohort directory of 20×20×3 int16 images and uint8 masks (uncompressed .nii).
struct CLICohort {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("fgf-cli-\(UUID().uuidString)").path

  init() throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }

  /// A NIfTI-1 single file: 352-byte header (sform = 1 mm × 1 mm × 2 mm) and the voxels.
  static func nifti(datatype: Int16, bitpix: Int16, data: [UInt8]) -> Data {
    var header = [UInt8](repeating: 0, count: 352)
    func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
      withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { header[offset + i] = b } }
    }
    func putFloat(_ value: Float, _ offset: Int) { put(value.bitPattern, offset) }
    put(Int32(348), 0)
    for (i, d) in [3, 20, 20, 3, 1, 1, 1, 1].enumerated() { put(Int16(d), 40 + 2 * i) }
    put(datatype, 70); put(bitpix, 72)
    for (i, p) in [1, 1, 1, 2, 1, 1, 1, 1].enumerated() { putFloat(Float(p), 76 + 4 * i) }
    putFloat(352, 108)
    putFloat(1, 112)  // scl_slope
    put(Int16(1), 254)  // sform_code
    for (row, values) in [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0]].enumerated() {
      for (i, v) in values.enumerated() { putFloat(Float(v), 280 + 16 * row + 4 * i) }
    }
    header[344] = UInt8(ascii: "n"); header[345] = UInt8(ascii: "+"); header[346] = UInt8(ascii: "1")
    return Data(header + data)
  }

  func writePatient(_ id: String, emptyMask: Bool = false) throws {
    var image: [UInt8] = [], mask: [UInt8] = []
    for z in 0..<3 {
      for y in 0..<20 {
        for x in 0..<20 {
          withUnsafeBytes(of: Int16(x * 10 - y * 5 + z).littleEndian) { image += $0 }
          mask.append(!emptyMask && z == 1 && (8...11).contains(x) && (5...9).contains(y) ? 1 : 0)
        }
      }
    }
    try CLICohort.nifti(datatype: 4, bitpix: 16, data: image).write(to: URL(fileURLWithPath: "\(path)/\(id)_ct.nii"))
    try CLICohort.nifti(datatype: 2, bitpix: 8, data: mask).write(to: URL(fileURLWithPath: "\(path)/\(id)_gtv.nii"))
  }

  func writeTable(_ rows: [String]) throws {
    let text = (["patient_id,image,mask,label,split"] + rows).joined(separator: "\n") + "\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/cohort.csv"))
  }

  static func row(_ id: String, label: Int, split: String) -> String { "\(id),\(id)_ct.nii,\(id)_gtv.nii,\(label),\(split)" }
}

@Suite struct CohortCommandTests {
  @Test func summarisesChecksAndPreprocesses() throws {
    let cohort = try CLICohort()
    defer { cohort.remove() }
    try cohort.writePatient("A")
    try cohort.writePatient("B")
    try cohort.writePatient("C", emptyMask: true)
    try cohort.writeTable([CLICohort.row("A", label: 1, split: "train"), CLICohort.row("B", label: 0, split: "train"),
                           CLICohort.row("C", label: 0, split: "test")])

    let summary = try FGFBinary.run(["cohort", cohort.path])
    #expect(summary.status == 0)
    #expect(summary.stdout.contains("3 patients"))
    #expect(summary.stdout.contains("train  2         1     1"))

    let json = try FGFBinary.run(["cohort", cohort.path, "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect(object?["patients"] as? Int == 3)
    #expect((object?["splits"] as? [String: Any])?["test"] as? [String: Int] == ["patients": 1, "positive": 0])

    let crops = try FGFBinary.run(["cohort", cohort.path, "--crops"])
    #expect(crops.status == 1)
    #expect(crops.stdout.contains("crops: 2 ready, 1 failed"))
    #expect(crops.stdout.contains("cohort.csv: line 4: patient C: the mask is empty"))
    #expect(FileManager.default.fileExists(atPath: cohort.path + "/.fgf-cache"))
    let export = cohort.path + "/crops.safetensors"
    let exported = try FGFBinary.run(["cohort", cohort.path, "--export", export])
    #expect(exported.status == 1)  // patient C still fails
    #expect(exported.stdout.contains("wrote the crops of 2 patients to \(export)"))
    #expect(FileManager.default.fileExists(atPath: export))
    let again = try FGFBinary.run(["cohort", cohort.path, "--crops"])
    #expect(again.stdout.contains("crops: 2 ready, 1 failed") && again.stdout.contains("(2 from the cache, 0 computed;"))
  }

  /// The export is the input format of `fgf train --tensors` and `fgf analyze --tensors`.
  @Test func exportFeedsTrainAndAnalyze() throws {
    let cohort = try CLICohort()
    defer { cohort.remove() }
    try cohort.writePatient("A")
    try cohort.writePatient("B")
    try cohort.writeTable([CLICohort.row("A", label: 1, split: "train"), CLICohort.row("B", label: 0, split: "train")])
    let export = cohort.path + "/crops.safetensors", model = cohort.path + "/model.safetensors"
    #expect(try FGFBinary.run(["cohort", cohort.path, "--export", export]).status == 0)
    let train = try FGFBinary.run(["train", "--tensors", export, "--epochs", "1", "--out", model])
    #expect(train.status == 0, "\(train.stderr)")
    let analyze = try FGFBinary.run(["analyze", "--tensors", export, "--model", model, "--split", "all", "--dump", cohort.path + "/out.safetensors"])
    #expect(analyze.status == 0, "\(analyze.stderr)")
    #expect(analyze.stdout.contains(": 2 patients (1 with DM)"), "\(analyze.stdout)")
  }

  @Test func invalidRowsStopOrAreSkipped() throws {
    let cohort = try CLICohort()
    defer { cohort.remove() }
    try cohort.writePatient("A")
    try cohort.writeTable([CLICohort.row("A", label: 1, split: "train"), CLICohort.row("Z", label: 0, split: "val")])
    let failed = try FGFBinary.run(["cohort", cohort.path])
    #expect(failed.status != 0)
    #expect(failed.stderr.contains("cohort.csv: line 3: patient Z: image Z_ct.nii: cannot open"))
    let skipped = try FGFBinary.run(["cohort", cohort.path, "--skip-invalid"])
    #expect(skipped.status == 0)
    #expect(skipped.stderr.contains("warning: ") && skipped.stderr.contains("line 3"))
    #expect(skipped.stdout.contains("1 patient (") && skipped.stdout.contains("skipped rows: 1"))
  }
}
