// `fgf analyze` and `fgf train` run as a user runs them, on tensors files written here: the table,
// JSON and CSV reports, the dump, usage errors; training with a feature set, a gradient dump whose
// directions are feature gradients, and Ctrl-C during training followed by --resume, which must
// end with the same model file, byte for byte, as a run that was never interrupted.

import Testing
import Foundation

@Suite(.serialized) struct AnalyzeTrainCommandTests {
  static let directory: String = {
    let path = NSTemporaryDirectory() + "fgf-cli-method-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  static func path(_ name: String) -> String { directory + "/" + name }

  /// A fresh FGF-CNN model file from `seed` (0 epochs of training writes the initial weights).
  static func model(seed: Int) throws -> String {
    let crops = path("model-crops.safetensors"), model = path("model-\(seed).safetensors")
    try SafetensorsFixture.writeCrops(crops, count: 4)
    let result = try FGFBinary.run(["train", "--tensors", crops, "--epochs", "0", "--seed", String(seed), "--out", model])
    #expect(result.status == 0, "\(result.stderr)")
    return model
  }

  @Test func analyzeReportsInEveryFormat() throws {
    let crops = Self.path("crops.safetensors")
    try SafetensorsFixture.writeCrops(crops, count: 9, split: false)
    let a = try Self.model(seed: 1), b = try Self.model(seed: 2)
    let table = try FGFBinary.run(["analyze", "--tensors", crops, "--model", a, "--model", b,
                                   "--features", "shape.area,intensity", "--baseline", "smooth"])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("fgf analyze: tensors \(crops): 9 patients (5 with DM)"))
    #expect(table.stdout.contains("baseline smooth (J = 32)"))
    #expect(table.stdout.contains("Model A (\(a)): AUC "))
    #expect(table.stdout.contains("Model B (\(b)): AUC "))
    for feature in ["shape.area", "intensity.mean", "intensity.std", "intensity.skewness", "intensity.kurtosis"] {
      #expect(table.stdout.contains("\n  \(feature) "), "row \(feature)")
    }
    #expect(table.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(table.stderr)")

    let jsonPath = Self.path("report.json")
    let json = try FGFBinary.run(["analyze", "--tensors", crops, "--model", a, "--features", "shape", "--format", "json",
                                  "--measure", "flow", "--flow-steps", "2", "--out", jsonPath])
    #expect(json.status == 0 && json.stdout.isEmpty, "\(json.stderr)")
    let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as? [String: Any]
    let models = report?["models"] as? [[String: Any]]
    #expect((report?["settings"] as? [String: Any])?["measure"] as? String == "flow")
    #expect((models?[0]["summary"] as? [Any])?.count == 5)
    #expect((models?[0]["patients"] as? [[String: Any]])?.count == 9)

    let csv = try FGFBinary.run(["analyze", "--tensors", crops, "--model", a, "--features", "position", "--format", "csv",
                                 "--baseline", "matched"])
    #expect(csv.status == 0, "\(csv.stderr)")
    let lines = csv.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("scope,model,source,measure,baseline,patient_id") == true)
    #expect(lines.count == 1 + 2 + 9 * 2)
  }

  @Test func analyzeDumpsEveryTensor() throws {
    let crops = Self.path("dump-crops.safetensors"), dump = Self.path("dump.safetensors")
    try SafetensorsFixture.writeCrops(crops, count: 5, split: false)
    let a = try Self.model(seed: 3)
    let result = try FGFBinary.run(["analyze", "--tensors", crops, "--model", a, "--features", "shape.volume,texture.contrast",
                                    "--dump", dump])
    #expect(result.status == 0, "\(result.stderr)")
    let header = try SafetensorsFixture.header(dump)
    func shape(_ name: String) -> [Int]? { (header[name] as? [String: Any])?["shape"] as? [Int] }
    #expect(shape("logit") == [5] && shape("grad_x") == [5, 3, 64, 64])
    #expect(shape("feature.shape.volume") == [5] && shape("feature_grad.texture.contrast") == [5, 3, 64, 64])
    #expect(shape("alignment.shape.volume") == [5] && shape("alignment.noise.white") == [5])
    let alignments = try SafetensorsFixture.floats(dump, "alignment.texture.contrast")
    #expect(alignments.count == 5 && alignments.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  @Test func analyzeRejectsBadArguments() throws {
    let crops = Self.path("bad-crops.safetensors")
    try SafetensorsFixture.writeCrops(crops, count: 2, split: false)
    let a = try Self.model(seed: 4)
    let unknown = try FGFBinary.run(["analyze", "--tensors", crops, "--model", a, "--features", "shape.volme"])
    #expect(unknown.status != 0 && unknown.stderr.contains("unknown feature shape.volme"))
    let measure = try FGFBinary.run(["analyze", "--tensors", crops, "--model", a, "--measure", "cos"])
    #expect(measure.status != 0 && measure.stderr.contains("--measure must be one of abs, sq, flow"))
    let both = try FGFBinary.run(["analyze", "demo", "--tensors", crops, "--model", a])
    #expect(both.status != 0 && both.stderr.contains("not both"))
  }

  @Test func trainWithFeaturesAndGradientDump() throws {
    let crops = Self.path("train-crops.safetensors"), out = Self.path("trained.safetensors")
    try SafetensorsFixture.writeCrops(crops, count: 12)
    let train = try FGFBinary.run(["train", "--tensors", crops, "--features", "shape.volume,shape.circularity", "--lambda", "0.5",
                                   "--epochs", "2", "--seed", "9", "--batch-size", "4", "--out", out])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(train.stdout.contains("S = shape.volume, shape.circularity; λ = 0.5; 2 epochs, seed 9"))
    #expect(train.stdout.contains("epoch   2/2"))
    #expect(train.stdout.contains("val align S"))
    #expect(train.stdout.contains("saved epoch"))
    #expect(!FileManager.default.fileExists(atPath: out + ".checkpoint"), "the checkpoint goes once the run is complete")
    let metadata = try SafetensorsFixture.header(out)["__metadata__"] as? [String: String]
    let training = try JSONSerialization.jsonObject(with: Data((metadata?["fgf.training"] ?? "{}").utf8)) as? [String: Any]
    #expect(training?["features"] as? [String] == ["shape.volume", "shape.circularity"])
    #expect(training?["lambda"] as? Double == 0.5)
    #expect((training?["data_hash"] as? String)?.hasPrefix("fnv1a64:") == true)

    let gradients = Self.path("gradients.safetensors")
    let dump = try FGFBinary.run(["train", "--tensors", crops, "--init", out, "--features", "shape", "--lambda", "1",
                                  "--dump-gradients", gradients])
    #expect(dump.status == 0, "\(dump.stderr)")
    let header = try SafetensorsFixture.header(gradients)
    let loss = (header["__metadata__"] as? [String: String])?["fgf.loss"] ?? ""
    #expect(loss.contains("\"features\":[\"shape.volume\",\"shape.area\",\"shape.perimeter\",\"shape.circularity\",\"shape.elongation\"]"))
    #expect(((header["conv1.weight"] as? [String: Any])?["shape"] as? [Int]) == [16, 3, 3, 3])
    let usage = try FGFBinary.run(["train", "--lambda", "1", "--out", out])
    #expect(usage.status != 0 && usage.stderr.contains("--lambda > 0 needs --features"))
  }

  @Test func cohortDirectoryEndToEnd() throws {
    let cohort = Self.path("cohort"), dump = Self.path("cohort-dump.safetensors"), trained = Self.path("cohort-model.safetensors")
    let synth = try FGFBinary.run(["synth", "--out", cohort, "--patients", "10", "--seed", "3", "--quiet"])
    #expect(synth.status == 0, "\(synth.stderr)")
    let model = try Self.model(seed: 5)
    let analyze = try FGFBinary.run(["analyze", cohort, "--model", model, "--split", "all", "--features", "shape.volume,position",
                                     "--dump", dump])
    #expect(analyze.status == 0, "\(analyze.stderr)")
    #expect(analyze.stdout.contains("fgf analyze: cohort \(cohort), split all: 10 patients"))
    let header = try SafetensorsFixture.header(dump)
    #expect((header["input"] as? [String: Any])?["shape"] as? [Int] == [10, 3, 64, 64])
    #expect((header["split"] as? [String: Any])?["dtype"] as? String == "I64")
    let ids = (header["__metadata__"] as? [String: String])?["fgf.patient_ids"] ?? ""
    #expect(ids.hasPrefix("[\"SYN-0001\",\"SYN-0002\""))
    // The dump is a --tensors input and gives the same report.
    let again = try FGFBinary.run(["analyze", "--tensors", dump, "--model", model, "--split", "all", "--features", "shape.volume,position"])
    #expect(again.status == 0, "\(again.stderr)")
    let rows = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("  shape.") || $0.hasPrefix("  position.") } }
    #expect(rows(again.stdout) == rows(analyze.stdout) && rows(analyze.stdout).count == 3)

    let train = try FGFBinary.run(["train", cohort, "--epochs", "1", "--batch-size", "4", "--features", "shape.area", "--lambda", "0.5",
                                   "--out", trained])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(train.stdout.contains("training on \(cohort): "))
    let metadata = try SafetensorsFixture.header(trained)["__metadata__"] as? [String: String]
    #expect(metadata?["fgf.preprocess"]?.contains("\"version\":1") == true)
    let missing = try FGFBinary.run(["analyze", Self.path("no-such-cohort"), "--model", model])
    #expect(missing.status != 0 && missing.stderr.contains("no-such-cohort"))
  }

  @Test func interruptedTrainingResumesToTheSameModel() throws {
    let crops = Self.path("resume-crops.safetensors")
    try SafetensorsFixture.writeCrops(crops, count: 12)
    let straight = Self.path("straight.safetensors"), resumed = Self.path("resumed.safetensors")
    let arguments = ["train", "--tensors", crops, "--features", "shape.area", "--lambda", "0.3", "--epochs", "40",
                     "--batch-size", "4", "--seed", "2"]
    let full = try FGFBinary.run(arguments + ["--out", straight])
    #expect(full.status == 0, "\(full.stderr)")

    // Ctrl-C once the first epoch is reported.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: FGFBinary.path)
    process.arguments = arguments + ["--out", resumed]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    var text = ""
    while !text.contains("epoch   1/40") {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      text += String(decoding: chunk, as: UTF8.self)
    }
    process.interrupt()
    text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "\(text)")
    #expect(text.contains("the checkpoint \(resumed).checkpoint holds them. Continue with:"))
    #expect(text.contains("--resume"))
    #expect(!FileManager.default.fileExists(atPath: resumed))
    #expect(FileManager.default.fileExists(atPath: resumed + ".checkpoint"))

    let again = try FGFBinary.run(arguments + ["--out", resumed, "--resume"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: resumed)) == Data(contentsOf: URL(fileURLWithPath: straight)))
  }
}
