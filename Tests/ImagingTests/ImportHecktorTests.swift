// Tests of `fgf import hecktor`: both release layouts, the CT copied as it is, the mask = label 1,
// cases without a primary tumour, without a label map, or with a label map on another grid.
import Testing
import Common
import Imaging
import Foundation

@Suite struct ImportHecktorTests {
  static func run(_ source: String, _ output: String, endpoint: Bool = true) throws -> ImportSummary {
    var options = HecktorImport.Options(source: source, output: output)
    if endpoint { options.endpoint = source + "/endpoint.csv" }
    return try HecktorImport.run(options)
  }

  @Test(arguments: ImportSamples.HecktorStyle.allCases)
  func importsBothLayouts(style: ImportSamples.HecktorStyle) throws {
    let directory = try ScratchDirectory()
    let source = directory.path + "/release"
    try ImportSamples.writeHecktor(to: source, style: style, patients: 4)
    let summary = try Self.run(source, directory.path + "/cohort")
    #expect(summary.imported.map(\.id) == ["CHUM-001", "CHUM-002", "CHUM-003"])
    #expect(summary.skipped.map(\.id) == ["CHUM-004"])
    #expect(summary.skipped.first?.reason.category == .emptyMask)

    let endpoint = try CSV.parse(String(decoding: FileIO.read(source + "/endpoint.csv"), as: UTF8.self), path: "e")
    let relapse = Dictionary(uniqueKeysWithValues: endpoint.dropFirst().map { ($0[0], Int($0[1]) ?? -1) })
    let table = try CohortCSV.parse(FileIO.read(directory.path + "/cohort/cohort.csv"), path: "c")
    #expect(table.extraColumns == ["RFS"])
    for row in table.rows {
      let record = try row.get()
      #expect(record.label == relapse[record.id])
      let folder = style == .imagesTr ? source + "/imagesTr" : source + "/" + record.id
      let labelFolder = style == .imagesTr ? source + "/labelsTr" : source + "/" + record.id
      // The CT is the source file, byte for byte; the mask is label 1 of the label map.
      #expect(try FileIO.read(directory.path + "/cohort/" + record.image) == FileIO.read(folder + "/\(record.id)__CT.nii.gz"))
      let mask = try NIfTIFile.readMask(directory.path + "/cohort/" + record.mask)
      #expect(mask == (try NIfTIFile.readLabelMap(labelFolder + "/\(record.id).nii.gz", label: 1)))
      #expect(mask.voxels.contains(1))
    }
  }

  @Test func labelMapsOnAnotherGridOrMissingAreSkippedNamingTheFiles() throws {
    let directory = try ScratchDirectory()
    let source = directory.path + "/release"
    try ImportSamples.writeHecktor(to: source, style: .imagesTr, patients: 3)
    // CHUM-001's label map moved by 2 mm; CHUM-002's written as CHUM_002 (still found); CHUM-003's removed.
    let path = source + "/labelsTr/CHUM-001.nii.gz"
    var moved = try NIfTIFile.readMask(path)
    moved.grid.affine[3] += 2
    try NIfTIFile.write(moved, to: path)
    let second = try FileIO.read(source + "/labelsTr/CHUM-002.nii.gz")
    try FileIO.writeAtomically(second, to: source + "/labelsTr/CHUM_002.nii.gz")
    unlink(source + "/labelsTr/CHUM-002.nii.gz")
    unlink(source + "/labelsTr/CHUM-003.nii.gz")
    let summary = try Self.run(source, directory.path + "/cohort", endpoint: false)
    #expect(summary.imported.map(\.id) == ["CHUM-002"])
    let reasons = Dictionary(uniqueKeysWithValues: summary.skipped.map { ($0.id, $0.reason) })
    #expect(reasons["CHUM-001"]?.category == .mismatch)
    #expect(reasons["CHUM-001"]?.detail.contains("CHUM-001__CT.nii.gz") == true && reasons["CHUM-001"]?.detail.contains("labelsTr/CHUM-001.nii.gz") == true)
    #expect(reasons["CHUM-003"]?.category == .missingFile)
  }

  @Test func aDirectoryWithoutCasesIsAnErrorWithAHint() throws {
    let directory = try ScratchDirectory()
    try ImportSamples.writeHecktor(to: directory.path + "/Task 1", style: .folders, patients: 2)
    let error = #expect(throws: FileError.self) { try Self.run(directory.path, directory.path + "/cohort", endpoint: false) }
    #expect(error?.problem.contains("no HECKTOR cases") == true)
    #expect(error?.hint?.contains("Task 1") == true)
  }

  @Test func ctFileNamesAreRecognisedExactly() {
    let names = ["CHUM-001__CT.nii.gz", "CHUM-001__PT.nii.gz", "CHUM-001__CTPlanning.nii.gz", "CHUM-001__dosimetry_CT.nii.gz",
                 "MDA-101__CT.nii", "__CT.nii.gz", "CHUM-001.nii.gz"]
    #expect(names.compactMap { HecktorLayoutProbe.id($0) } == ["CHUM-001", "MDA-101"])
  }
}

/// The CT-name rule, through the layout finder on a directory holding one empty file.
enum HecktorLayoutProbe {
  static func id(_ name: String) -> String? {
    guard let directory = try? ScratchDirectory() else { return nil }
    try? FileManager.default.createDirectory(atPath: directory.path + "/imagesTr", withIntermediateDirectories: true)
    try? FileIO.writeAtomically([], to: directory.path + "/imagesTr/" + name)
    return (try? HecktorLayout.cases(in: directory.path))?.cases.first?.id
  }
}
