// `fgf import` as a user runs it: sample trees written by `fgf import sample`, imported with
// `fgf import dicom` and `fgf import hecktor`; the summary, the exit status, refusal of an
// existing output, a bad pattern, and an import where no patient can be imported.

import Testing
import Foundation

@Suite struct ImportCommandTests {
  static func scratch() -> String {
    let path = NSTemporaryDirectory() + "fgf-cli-import-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func importsTheDICOMSampleAndRefusesToOverwrite() throws {
    let directory = Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let sample = try FGFBinary.run(["import", "sample", directory + "/src"])
    #expect(sample.status == 0, "\(sample.stderr)")
    let run = try FGFBinary.run(["import", "dicom", directory + "/src", "--out", directory + "/cohort",
                                 "--clinical", directory + "/src/clinical.csv", "--label-column", "dm"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("imported 5 patients into \(directory)/cohort"))
    #expect(run.stdout.contains("skipped 3: "))
    #expect(run.stdout.contains("SAMPLE-008: unsupported transfer syntax"))
    #expect(run.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(run.stderr)")
    let csv = try String(contentsOfFile: directory + "/cohort/cohort.csv", encoding: .utf8)
    #expect(csv.hasPrefix("patient_id,image,mask,label,split,age,roi\n"))
    #expect(csv.split(separator: "\n").count == 6)

    let again = try FGFBinary.run(["import", "dicom", directory + "/src", "--out", directory + "/cohort"])
    #expect(again.status != 0)
    #expect(again.stderr.contains("already exists"))
  }

  @Test func importsAHecktorSample() throws {
    let directory = Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(try FGFBinary.run(["import", "sample", directory + "/release", "--layout", "hecktor-2022", "--patients", "4"]).status == 0)
    let run = try FGFBinary.run(["import", "hecktor", directory + "/release", "--out", directory + "/cohort",
                                 "--endpoint", directory + "/release/endpoint.csv"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("imported 3 patients"))
    #expect(run.stdout.contains("CHUM-004: empty mask"))
  }

  @Test func failuresAreReportedWithAnExitStatus() throws {
    let directory = Self.scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(try FGFBinary.run(["import", "sample", directory + "/src", "--patients", "4"]).status == 0)
    let badPattern = try FGFBinary.run(["import", "dicom", directory + "/src", "--out", directory + "/a", "--roi", "GTV("])
    #expect(badPattern.status != 0 && badPattern.stderr.contains("not a valid regular expression"))
    let nothing = try FGFBinary.run(["import", "dicom", directory + "/src", "--out", directory + "/b", "--roi", "^Brainstem$"])
    #expect(nothing.status == 1)
    #expect(nothing.stderr.contains("no patient could be imported"))
    #expect(nothing.stderr.contains("SAMPLE-001: skipped: no matching ROI"))
    #expect(!FileManager.default.fileExists(atPath: directory + "/b") && !FileManager.default.fileExists(atPath: directory + "/b.partial"))
    let badTable = try FGFBinary.run(["import", "dicom", directory + "/src", "--out", directory + "/c",
                                      "--clinical", directory + "/src/clinical.csv", "--label-column", "outcome"])
    #expect(badTable.status != 0 && badTable.stderr.contains("has no column \"outcome\""))
  }
}
