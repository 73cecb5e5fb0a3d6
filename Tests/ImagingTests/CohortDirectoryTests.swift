// Tests of cohort directories: opening and lazy loading, each validation error with its
// cohort.csv line, --skip-invalid, problems found only when a patient is loaded, crops cached
// beside the cohort and invalidated when a file changes, and a 2000-row cohort.
import Foundation
import Testing
import Common
import Imaging

/// Writes small NIfTI volumes and masks into a temporary directory and cohort.csv beside them.
struct CohortFixture {
  let directory = CohortScratchDirectory()
  var path: String { directory.path }

  /// A 24×20×4 volume at 1 mm × 1 mm × 2.5 mm whose values depend on `seed`, with a 5×4 box mask
  /// on slices 1–2 (none when `emptyMask`).
  func writePatient(_ id: String, seed: Int, size: (Int, Int, Int) = (24, 20, 4), spacing: SIMD3<Double> = SIMD3(1, 1, 2.5),
                    origin: SIMD3<Double> = SIMD3(-12, -10, 40), emptyMask: Bool = false) throws {
    let (volume, mask) = CohortFixture.volumes(seed: seed, size: size, spacing: spacing, origin: origin, emptyMask: emptyMask)
    try FileManager.default.createDirectory(atPath: path + "/ct", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: path + "/gtv", withIntermediateDirectories: true)
    try NIfTIFile.write(volume, to: "\(path)/ct/\(id).nii.gz")
    try NIfTIFile.write(mask, to: "\(path)/gtv/\(id).nii.gz")
  }

  static func volumes(seed: Int, size: (Int, Int, Int) = (24, 20, 4), spacing: SIMD3<Double> = SIMD3(1, 1, 2.5),
                      origin: SIMD3<Double> = SIMD3(-12, -10, 40), emptyMask: Bool = false) -> (Volume, Mask) {
    let affine = [spacing.x, 0, 0, origin.x, 0, spacing.y, 0, origin.y, 0, 0, spacing.z, origin.z, 0, 0, 0, 1]
    let grid = Grid(nx: size.0, ny: size.1, nz: size.2, spacing: spacing, affine: affine)
    var random = SeededRandom(seed: UInt64(seed))
    let volume = Volume(grid: grid, voxels: (0..<grid.voxelCount).map { _ in Float(random.index(400) - 150) })
    let mask = makeMask(grid) { x, y, z in !emptyMask && (8...12).contains(x) && (6...9).contains(y) && (1...2).contains(z) }
    return (volume, mask)
  }

  func writeTable(_ text: String) throws {
    try FileIO.writeAtomically(Array(text.utf8), to: path + "/cohort.csv")
  }

  static let header = "patient_id,image,mask,label,split,age\n"
  static func row(_ id: String, label: String = "1", split: String = "train", age: String = "60") -> String {
    "\(id),ct/\(id).nii.gz,gtv/\(id).nii.gz,\(label),\(split),\(age)\n"
  }
}

func openingError(_ path: String) -> FileError? {
  do { _ = try CohortDirectory(path: path); return nil } catch { return error }
}

@Suite struct CohortDirectoryTests {
  @Test func opensChecksAndLoadsLazily() throws {
    let fixture = CohortFixture()
    defer { fixture.directory.remove() }
    for (i, id) in ["P1", "P2", "P3"].enumerated() { try fixture.writePatient(id, seed: i) }
    try fixture.writeTable(CohortFixture.header + CohortFixture.row("P1", age: "\"61, approx\"") +
                           CohortFixture.row("P2", label: "0", split: "val") + CohortFixture.row("P3", split: "test"))
    let cohort = try CohortDirectory(path: fixture.path + "/")
    #expect(cohort.name == fixture.path)
    #expect(cohort.patients.map(\.id) == ["P1", "P2", "P3"])
    #expect(cohort.patients.map(\.line) == [2, 3, 4])
    #expect(cohort.patients.map(\.split) == [.train, .val, .test])
    #expect(cohort.extraColumns == ["age"] && cohort.patients[0].extra == ["61, approx"])
    #expect(cohort.origin(of: cohort.patients[1]) == (fixture.path + "/cohort.csv", "line 3"))

    let (volume, mask) = CohortFixture.volumes(seed: 1)
    let loaded = try cohort.volumes(for: cohort.patients[1])
    #expect(loaded.image.voxels == volume.voxels && loaded.mask.voxels == mask.voxels)
    #expect(cohort.grid(for: cohort.patients[1])?.nx == 24)
    #expect(cohort.fingerprint(for: cohort.patients[1]) == cohort.fingerprint(for: cohort.patients[1]))
    #expect(cohort.fingerprint(for: cohort.patients[1]).hasSuffix("preprocess \(Preprocessor.version)"))

    // Opening the table file itself is the same cohort.
    let same = try CohortDirectory(path: fixture.path + "/cohort.csv")
    #expect(same.patients == cohort.patients && same.directory == cohort.directory)

    // Crops go beside the cohort and equal preprocessing the volumes.
    let store = CropStore(cohort: cohort)
    #expect(store.cacheDirectory == cohort.directory.map { $0 + "/.fgf-cache" })
    #expect(try store.input(for: cohort.patients[1]) == Preprocessor.modelInput(image: volume, mask: mask))
  }

  /// One table with every kind of bad row: opening throws the first with its line (and counts
  /// the rest); --skip-invalid keeps the good rows and warns once per bad one.
  @Test func eachInvalidRowIsReportedWithItsLine() throws {
    let fixture = CohortFixture()
    defer { fixture.directory.remove() }
    try fixture.writePatient("good1", seed: 1)
    try fixture.writePatient("good2", seed: 2)
    try fixture.writePatient("big", seed: 3)
    try fixture.writePatient("big-mask", seed: 3, size: (24, 20, 5))
    try fixture.writePatient("fine", seed: 4)
    try fixture.writePatient("fine-mask", seed: 4, spacing: SIMD3(1, 1, 3))
    try fixture.writePatient("shift", seed: 5)
    try fixture.writePatient("shift-mask", seed: 5, origin: SIMD3(-12, -10, 41))
    try FileIO.writeAtomically(Array("not a NIfTI file at all".utf8), to: fixture.path + "/ct/junk.nii")
    let rows = [
      CohortFixture.row("good1"),                                                 // 2
      "nofile,ct/nofile.nii.gz,gtv/good1.nii.gz,1,train,60\n",                    // 3
      "nomask,ct/good1.nii.gz,gtv/nomask.nii.gz,1,train,60\n",                    // 4
      "junk,ct/junk.nii,gtv/good1.nii.gz,0,train,60\n",                           // 5
      "size,ct/big.nii.gz,gtv/big-mask.nii.gz,0,test,60\n",                       // 6
      "spacing,ct/fine.nii.gz,gtv/fine-mask.nii.gz,0,test,60\n",                  // 7
      "origin,ct/shift.nii.gz,gtv/shift-mask.nii.gz,0,test,60\n",                 // 8
      CohortFixture.row("good1", split: "val"),                                   // 9
      CohortFixture.row("good2", label: "2"),                                     // 10
      CohortFixture.row("good2", split: "holdout"),                               // 11
      "good2,ct/good2.nii.gz,gtv/good2.nii.gz,0,train\n",                         // 12
      CohortFixture.row("good2", label: "0", split: "test"),                      // 13
    ]
    try fixture.writeTable(CohortFixture.header + rows.joined())
    let table = fixture.path + "/cohort.csv"

    let error = try #require(openingError(fixture.path))
    #expect(error.path == table && error.place == "line 3")
    #expect(error.problem.hasPrefix("patient nofile: image ct/nofile.nii.gz: "))
    #expect(error.hint?.contains("9 more rows are invalid too; --skip-invalid skips bad rows") == true)

    var warnings: [String] = []
    let cohort = try CohortDirectory(path: fixture.path, skipInvalid: true) { warnings.append($0) }
    #expect(cohort.patients.map(\.id) == ["good1", "good2"])
    #expect(cohort.patients.map(\.line) == [2, 13])
    #expect(cohort.skipped.map(\.place) == (3...12).map { "line \($0)" })
    #expect(warnings.count == 10 && warnings.allSatisfy { $0.hasPrefix(table + ": line ") && $0.hasSuffix("; row skipped") })
    let problems = cohort.skipped.map(\.problem)
    #expect(problems[0].contains("image ct/nofile.nii.gz") && problems[0].contains("cannot open"))
    #expect(problems[1].contains("mask gtv/nomask.nii.gz"))
    #expect(problems[2].hasPrefix("patient junk: image ct/junk.nii: "))
    #expect(problems[3].contains("the image is 24×20×4 voxels but the mask is 24×20×5"))
    #expect(problems[4].contains("spacing"))
    #expect(problems[5].contains("affines differ by up to 1"))
    #expect(problems[6].contains("already used on line 2"))
    #expect(problems[7].contains("label \"2\""))
    #expect(problems[8].contains("split \"holdout\""))
    #expect(problems[9].contains("5 fields, but the header has 6"))
  }

  @Test func tableProblemsAndNothingLeft() throws {
    let fixture = CohortFixture()
    defer { fixture.directory.remove() }
    let missingTable = try #require(openingError(fixture.path))
    #expect(missingTable.path == fixture.path + "/cohort.csv" && missingTable.hint?.contains("patient_id") == true)
    #expect(openingError(fixture.path + "/absent")?.problem.contains("no such cohort directory") == true)

    try fixture.writeTable("patient_id,image,mask,label\n")
    #expect(openingError(fixture.path)?.problem == "missing column split")
    try fixture.writeTable(CohortFixture.header)
    #expect(openingError(fixture.path)?.problem == "the table has a header but no patients")
    try fixture.writeTable(CohortFixture.header + CohortFixture.row("ghost"))
    #expect(throws: FileError.self) { try CohortDirectory(path: fixture.path, skipInvalid: true) }
    do {
      _ = try CohortDirectory(path: fixture.path, skipInvalid: true)
    } catch {
      #expect(error.problem == "no valid patient row (1 skipped)")
    }
  }

  /// An empty mask and a damaged data stream pass the header checks and are reported, with the
  /// line, when the patient is loaded; the other patients are unaffected.
  @Test func dataProblemsAppearOnLoadWithTheLine() throws {
    let fixture = CohortFixture()
    defer { fixture.directory.remove() }
    try fixture.writePatient("ok", seed: 1)
    try fixture.writePatient("empty", seed: 2, emptyMask: true)
    try fixture.writePatient("cut", seed: 3)
    let cut = fixture.path + "/ct/cut.nii.gz"
    let bytes = try FileIO.read(cut)
    try FileIO.writeAtomically(Array(bytes.prefix(bytes.count * 3 / 4)), to: cut)
    try fixture.writeTable(CohortFixture.header + CohortFixture.row("ok") + CohortFixture.row("empty") + CohortFixture.row("cut"))
    let cohort = try CohortDirectory(path: fixture.path)
    #expect(cohort.patients.count == 3)

    let store = CropStore(cohort: cohort, diskCache: false)
    let results = try #require(store.results(for: cohort.patients))
    #expect((try? results[0].get()) != nil)
    guard case .failure(let empty) = results[1], case .failure(let damaged) = results[2] else {
      Issue.record("the empty mask and the cut file must fail"); return
    }
    #expect(empty.path == fixture.path + "/cohort.csv" && empty.place == "line 3")
    #expect(empty.problem.contains("patient empty: the mask is empty"))
    #expect(damaged.place == "line 4" && damaged.problem.hasPrefix("patient cut: image ct/cut.nii.gz: "))
  }

  @Test func changedFileInvalidatesTheCachedCrop() throws {
    let fixture = CohortFixture()
    defer { fixture.directory.remove() }
    try fixture.writePatient("A", seed: 1)
    try fixture.writeTable(CohortFixture.header + CohortFixture.row("A"))
    let cohort = try CohortDirectory(path: fixture.path)
    let patient = cohort.patients[0]
    let before = try CropStore(cohort: cohort).input(for: patient)
    let fingerprint = cohort.fingerprint(for: patient)

    try fixture.writePatient("A", seed: 2)  // same sizes, new voxels, new modification time
    #expect(cohort.fingerprint(for: patient) != fingerprint)
    let store = CropStore(cohort: cohort)
    let after = try store.input(for: patient)
    #expect(store.statistics.computed == 1 && store.statistics.diskHits == 0)
    let (volume, mask) = CohortFixture.volumes(seed: 2)
    #expect(after == (try Preprocessor.modelInput(image: volume, mask: mask)))
    #expect(after != before)
  }

  /// 2000 rows, each with its own small image and mask (copies of one pair, written without
  /// fsync to keep the test fast). Only correctness is asserted; `fgf cohort` measures the time.
  @Test func twoThousandRows() throws {
    let fixture = CohortFixture()
    defer { fixture.directory.remove() }
    try fixture.writePatient("template", seed: 9)
    let image = try FileIO.read(fixture.path + "/ct/template.nii.gz")
    let mask = try FileIO.read(fixture.path + "/gtv/template.nii.gz")
    var text = CohortFixture.header
    for i in 0..<2000 {
      let id = String(format: "HN-%04d", i)
      try CohortScratchDirectory.writeQuickly(image, to: "\(fixture.path)/ct/\(id).nii.gz")
      try CohortScratchDirectory.writeQuickly(mask, to: "\(fixture.path)/gtv/\(id).nii.gz")
      text += CohortFixture.row(id, label: String(i % 3 == 0 ? 1 : 0), split: ["train", "val", "test"][i % 3], age: String(40 + i % 40))
    }
    try fixture.writeTable(text)
    let cohort = try CohortDirectory(path: fixture.path)
    #expect(cohort.patients.count == 2000)
    #expect(cohort.patients.map(\.line) == Array(2...2001))
    #expect(cohort.patients[1999].id == "HN-1999" && cohort.patients[1999].extra == ["79"])
    #expect(cohort.patients.filter { $0.label == 1 }.count == 667)
    #expect(Set(cohort.patients.map { cohort.fingerprint(for: $0) }).count == 2000)
  }
}

/// The NIfTI reader's notes on a patient's headers reach the cohort (and `fgf cohort` prints them).
@Suite struct CohortHeaderNotesTests {
  @Test func obliqueFilesAreNotedPerPatient() throws {
    let fixture = CohortFixture()
    defer { fixture.directory.remove() }
    try fixture.writePatient("P1", seed: 1)
    // P2: the same volume turned 10° in-plane; image and mask share the oblique grid.
    let (volume, mask) = CohortFixture.volumes(seed: 2)
    let angle = 10.0 * .pi / 180
    let affine = [cos(angle), -sin(angle), 0, -12, sin(angle), cos(angle), 0, -10, 0, 0, 2.5, 40, 0, 0, 0, 1]
    let grid = Grid(nx: 24, ny: 20, nz: 4, spacing: SIMD3(1, 1, 2.5), affine: affine)
    try NIfTIFile.write(Volume(grid: grid, voxels: volume.voxels), to: "\(fixture.path)/ct/P2.nii.gz")
    try NIfTIFile.write(Mask(grid: grid, voxels: mask.voxels), to: "\(fixture.path)/gtv/P2.nii.gz")
    try fixture.writeTable(CohortFixture.header + CohortFixture.row("P1") + CohortFixture.row("P2", label: "0"))
    let cohort = try CohortDirectory(path: fixture.path)
    let notes = cohort.patients.map { cohort.headerNotes(for: $0) }
    print("header notes: \(notes)")
    #expect(notes[0].isEmpty)
    #expect(notes[1].contains { $0.hasPrefix("image: oblique by 10.0°") })
    #expect(notes[1].contains { $0.hasPrefix("mask: oblique by 10.0°") })
  }
}
