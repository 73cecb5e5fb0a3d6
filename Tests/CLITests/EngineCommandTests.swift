// The engine's commands run as a user would: train a model from tensors (0 epochs writes the
// initial FGF-CNN), analyze tensors with it, dump gradients, and fail cleanly on a corrupt model.

import Testing
import Foundation

@Suite struct EngineCommandTests {
  static let directory: String = {
    let path = NSTemporaryDirectory() + "fgf-cli-engine-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  /// A safetensors file with x [n,3,64,64] (constant 0.1·i per sample) and label [n] written by hand.
  static func writeInputs(_ path: String, count n: Int) throws {
    let d = 3 * 64 * 64
    let header = #"{"x":{"dtype":"F32","shape":[\#(n),3,64,64],"data_offsets":[0,\#(n * d * 4)]},"label":{"dtype":"F32","shape":[\#(n)],"data_offsets":[\#(n * d * 4),\#(n * d * 4 + n * 4)]}}"#
    var json = Array(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    var bytes = [UInt8]()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes += $0 }
    bytes += json
    for i in 0..<n { for j in 0..<d { withUnsafeBytes(of: (Float(i) * 0.1 + Float(j % 7) * 0.01).bitPattern.littleEndian) { bytes += $0 } } }
    for i in 0..<n { withUnsafeBytes(of: Float(i % 2).bitPattern.littleEndian) { bytes += $0 } }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  @Test func trainAnalyzeAndDumpGradients() throws {
    let input = Self.directory + "/in.safetensors", model = Self.directory + "/m.safetensors"
    let dump = Self.directory + "/out.safetensors", gradients = Self.directory + "/g.safetensors"
    try Self.writeInputs(input, count: 2)
    let train = try FGFBinary.run(["train", "--tensors", input, "--epochs", "0", "--seed", "3", "--out", model])
    #expect(train.status == 0, "\(train.stderr)")
    let analyze = try FGFBinary.run(["analyze", "--tensors", input, "--model", model, "--dump", dump], environment: ["FGF_THREADS": "2"])
    #expect(analyze.status == 0, "\(analyze.stderr)")
    #expect(analyze.stdout.contains("Model A (\(model)): AUC"))
    #expect(analyze.stdout.contains("no features: \(input) has no mask tensor"))
    let header = try SafetensorsFixture.header(dump)
    #expect((header["logit"] as? [String: Any])?["shape"] as? [Int] == [2])
    #expect((header["grad_x"] as? [String: Any])?["dtype"] as? String == "F32")
    #expect((header["grad_x"] as? [String: Any])?["shape"] as? [Int] == [2, 3, 64, 64])
    let dumped = try FGFBinary.run(["train", "--tensors", input, "--init", model, "--dump-gradients", gradients])
    #expect(dumped.status == 0, "\(dumped.stderr)")
    let g = String(decoding: try Data(contentsOf: URL(fileURLWithPath: gradients)).prefix(800), as: UTF8.self)
    #expect(g.contains(#""conv1.weight":{"dtype":"F32","shape":[16,3,3,3]"#))
    // One real epoch trains and reports it.
    let epoch = try FGFBinary.run(["train", "--tensors", input, "--init", model, "--epochs", "1", "--out", model])
    #expect(epoch.status == 0, "\(epoch.stderr)")
    #expect(epoch.stdout.contains("epoch   1/1"))
  }

  @Test func corruptModelFailsWithFileName() throws {
    let input = Self.directory + "/in2.safetensors", bad = Self.directory + "/bad.safetensors"
    try Self.writeInputs(input, count: 1)
    try Data([1, 2, 3, 4, 5, 6, 7, 8, 9]).write(to: URL(fileURLWithPath: bad))
    let result = try FGFBinary.run(["analyze", "--tensors", input, "--model", bad, "--dump", Self.directory + "/never.safetensors"])
    #expect(result.status != 0)
    #expect(result.stderr.contains(bad))
    #expect(!FileManager.default.fileExists(atPath: Self.directory + "/never.safetensors"))
    let usage = try FGFBinary.run(["train", "--tensors", input])
    #expect(usage.status != 0)
    #expect(usage.stderr.contains("--out"))
  }
}
