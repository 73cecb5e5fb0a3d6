// Drives `fgf synth` and `fgf render` as a user would: a small cohort written and refused the second
// time, slices printed in each mode with the outline and crop box, and clear errors.
import Testing
import Foundation

@Suite struct SynthRenderCommandTests {
  /// A fresh directory, removed by the caller.
  static func temporaryDirectory() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fgf-cli-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func synthWritesACohortAndRefusesToOverwriteIt() throws {
    let directory = Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let target = directory + "/small"
    let first = try FGFBinary.run(["synth", "--out", target, "--patients", "5", "--seed", "9"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Wrote 5 patients"))
    let table = try String(contentsOfFile: target + "/cohort.csv", encoding: .utf8)
    #expect(table.hasPrefix("patient_id,image,mask,label,split,age,sex,t_stage,n_stage,hpv,true_volume_mm3"))
    #expect(table.split(separator: "\n").count == 6)
    #expect(FileManager.default.fileExists(atPath: target + "/images/SYN-0005.nii.gz"))
    #expect(FileManager.default.fileExists(atPath: target + "/masks/SYN-0005.nii.gz"))
    let again = try FGFBinary.run(["synth", "--out", target, "--patients", "5"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("not empty"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["small"])
    let bad = try FGFBinary.run(["synth", "--out", directory + "/x", "--patients", "0"])
    #expect(bad.status != 0 && bad.stderr.contains("--patients"))
  }

  @Test func renderPrintsTheTumourSliceInEachMode() throws {
    let ascii = try FGFBinary.run(["render", "--patient", "SYN-0002", "--mode", "ascii", "--width", "80"])
    #expect(ascii.status == 0, "\(ascii.stderr)")
    let lines = ascii.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.first?.hasPrefix("SYN-0002  slice ") == true && lines.first?.contains("(tumour centre)") == true)
    #expect(lines.dropFirst().allSatisfy { $0.count == 80 })
    #expect(lines.count == 1 + 40)                       // 160 × 160 mm at 80 columns, cells 1:2
    #expect(ascii.stdout.contains("O") && !ascii.stdout.contains("\u{1B}"))

    let grey = try FGFBinary.run(["render", "--patient", "SYN-0002", "--mode", "256", "--width", "60", "--box"])
    #expect(grey.status == 0)
    #expect(grey.stdout.contains("▀") && grey.stdout.contains("\u{1B}[0;38;5;"))
    // Every palette index is 16 or above.
    let indices = grey.stdout.components(separatedBy: ";5;").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    #expect(!indices.isEmpty && indices.allSatisfy { (16...255).contains($0) })

    let truecolor = try FGFBinary.run(["render", "--mode", "truecolor", "--window", "bone", "--slice", "3", "--width", "40"])
    #expect(truecolor.status == 0 && truecolor.stdout.contains("38;2;") && truecolor.stdout.contains("bone (W1800/L400)"))
    #expect(truecolor.stdout.contains("slice 3 of 0…27"))

    let boxed = try FGFBinary.run(["render", "--patient", "SYN-0002", "--mode", "ascii", "--box", "--no-outline"])
    #expect(boxed.status == 0 && boxed.stdout.contains("x") && !boxed.stdout.dropFirst(20).contains("O"))
  }

  @Test func renderDetectsTheTerminalFromTheEnvironment() throws {
    let dumb = try FGFBinary.run(["render", "--width", "50"], environment: ["TERM": "dumb", "LANG": "en_US.UTF-8"])
    #expect(dumb.status == 0 && dumb.stdout.contains("[ascii]") && !dumb.stdout.contains("\u{1B}"))
    let noUTF8 = try FGFBinary.run(["render", "--width", "50"], environment: ["TERM": "xterm-256color", "LANG": "C"])
    #expect(noUTF8.status == 0 && noUTF8.stdout.contains("[blanks]") && !noUTF8.stdout.contains("▀"))
    let direct = try FGFBinary.run(["render", "--width", "50"],
                                   environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "en_US.UTF-8"])
    #expect(direct.status == 0 && direct.stdout.contains("[truecolor]"))
  }

  @Test func renderReportsProblemsClearly() throws {
    let unknown = try FGFBinary.run(["render", "--patient", "NOPE"])
    #expect(unknown.status == 1 && unknown.stderr.contains("no patient NOPE"))
    let window = try FGFBinary.run(["render", "--window", "wide"])
    #expect(window.status != 0 && window.stderr.contains("--window"))
    let slice = try FGFBinary.run(["render", "--slice", "99"])
    #expect(slice.status == 1 && slice.stderr.contains("slices 0…27"))
    let missing = try FGFBinary.run(["render", "/nonexistent/cohort"])
    #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/cohort"))
  }
}
