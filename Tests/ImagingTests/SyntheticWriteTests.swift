// Tests of writing a synthetic cohort directory: what is written reads back with the same values,
// the same seed writes identical bytes, and the directory appears whole or not at all.
import Testing
import Foundation
import Glibc
import Imaging
import Common

@Suite struct SyntheticWriteTests {
  static let cohort = SyntheticCohort(patients: 4, seed: 11)

  @Test func writtenCohortReadsBackWithTheSameValues() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    let target = directory.path + "/cohort"
    try Self.cohort.write(to: target)
    #expect(directory.files() == ["cohort"])          // no temporary directory left beside it
    let table = try CohortCSV.parse(FileIO.read(target + "/cohort.csv"), path: target + "/cohort.csv")
    #expect(table.extraColumns == SyntheticCohort.extraColumns)
    let records = try table.rows.map { try $0.get() }
    #expect(records.map(\.id) == Self.cohort.patients.map(\.id))
    for (read, written) in zip(records, Self.cohort.recordsWithPaths) {
      #expect(read.image == written.image && read.mask == written.mask && read.label == written.label)
      #expect(read.split == written.split && read.extra == written.extra)
    }
    for record in Self.cohort.recordsWithPaths {
      let (image, mask) = try Self.cohort.volumes(for: record)
      let readImage = try NIfTIFile.readVolume(target + "/" + record.image)
      let readMask = try NIfTIFile.readMask(target + "/" + record.mask)
      #expect(readImage.voxels == image.voxels && readMask.voxels == mask.voxels)
      #expect(readImage.grid.nx == image.grid.nx && readImage.grid.ny == image.grid.ny && readImage.grid.nz == image.grid.nz)
      #expect(readImage.grid.spacing == image.grid.spacing)
      #expect(zip(readImage.grid.affine, image.grid.affine).allSatisfy { abs($0 - $1) < 1e-4 })
    }
  }

  @Test func sameSeedWritesIdenticalBytes() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    let small = SyntheticCohort(patients: 2, seed: 11)
    try small.write(to: directory.path + "/a")
    try SyntheticCohort(patients: 2, seed: 11).write(to: directory.path + "/b")
    for name in ["cohort.csv", "images/SYN-0001.nii.gz", "images/SYN-0002.nii.gz", "masks/SYN-0001.nii.gz", "masks/SYN-0002.nii.gz"] {
      let a = try FileIO.read(directory.path + "/a/" + name), b = try FileIO.read(directory.path + "/b/" + name)
      #expect(a == b && !a.isEmpty, "\(name)")
    }
    // The patients' volumes do not depend on the cohort size: patient 1 of a 2-cohort is patient 1 of the 4-cohort.
    let image = try FileIO.read(directory.path + "/a/images/SYN-0001.nii.gz")
    try Self.cohort.write(to: directory.path + "/c")
    #expect(try FileIO.read(directory.path + "/c/images/SYN-0001.nii.gz") == image)
  }

  @Test func refusesANonEmptyDirectoryAndLeavesNothingBehind() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    let target = directory.path + "/existing"
    mkdir(target, 0o755)
    try CohortScratchDirectory.writeQuickly(Array("keep me".utf8), to: target + "/notes.txt")
    #expect(throws: FileError.self) { try Self.cohort.write(to: target) }
    #expect(try FileIO.read(target + "/notes.txt") == Array("keep me".utf8))
    #expect(directory.files() == ["existing"])
    // A file in the way, or a missing parent, are refused too.
    try CohortScratchDirectory.writeQuickly([1], to: directory.path + "/file")
    #expect(throws: FileError.self) { try Self.cohort.write(to: directory.path + "/file") }
    #expect(throws: FileError.self) { try Self.cohort.write(to: directory.path + "/missing/cohort") }
    // An existing empty directory is filled.
    mkdir(directory.path + "/empty", 0o755)
    try SyntheticCohort(patients: 1, seed: 3).write(to: directory.path + "/empty/")
    #expect(FileManager.default.fileExists(atPath: directory.path + "/empty/cohort.csv"))
  }

  @Test func cancellingRemovesTheHalfWrittenDirectory() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    do {
      try Self.cohort.write(to: directory.path + "/cohort", isCancelled: { true })
      Issue.record("a cancelled write must throw")
    } catch {
      #expect(error.problem == "cancelled")
    }
    #expect(directory.files().isEmpty)
  }
}
