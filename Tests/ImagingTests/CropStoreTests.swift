// Tests of the crop store: memory and disk hits, invalidation when a fingerprint changes, damaged
// cache files, the memory bound, one computation for simultaneous requests, batches in order
// with errors and cancellation, and where the cache goes.
import Dispatch
import Foundation
import Testing
import Common
import Imaging

/// An in-memory cohort whose volumes are built from the patient's index and a version the test
/// can bump (a "changed source file"); it counts loads. Patient "empty" has an empty mask.
final class CountingCohort: CohortSource, @unchecked Sendable {
  let name = "counting"
  let extraColumns: [String] = []
  let patients: [PatientRecord]
  let directory: String?
  private let lock = NSLock()
  private var versions: [String: Int] = [:]
  private var loadCounts: [String: Int] = [:]

  init(ids: [String], directory: String? = nil) {
    patients = ids.enumerated().map { i, id in
      PatientRecord(id: id, label: i % 2, split: .train, image: "", mask: "", extra: [], line: i + 2)
    }
    self.directory = directory
  }

  func bump(_ id: String) { lock.lock(); versions[id, default: 0] += 1; lock.unlock() }
  func loads(_ id: String) -> Int { lock.lock(); defer { lock.unlock() }; return loadCounts[id, default: 0] }

  func volumes(for patient: PatientRecord) throws(FileError) -> (image: Volume, mask: Mask) {
    lock.lock()
    loadCounts[patient.id, default: 0] += 1
    let version = versions[patient.id, default: 0]
    lock.unlock()
    let index = patients.firstIndex { $0.id == patient.id } ?? 0
    let image = makeVolume(40, 36, 4) { x, y, z in Float(x * 3 - y * 2 + z * 50 + index * 7 + version * 11 - 60) }
    let mask = makeMask(image.grid) { x, y, z in
      patient.id != "empty" && abs(x - 10 - index) < 3 && abs(y - 12 - version) < 2 && z == 1 + index % 2
    }
    return (image, mask)
  }

  func fingerprint(for patient: PatientRecord) -> String {
    lock.lock(); defer { lock.unlock() }
    return "v\(versions[patient.id, default: 0])"
  }
}

final class WarningLog: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
  var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

@Suite struct CropStoreTests {
  @Test func missThenMemoryHitThenDiskHit() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    let cohort = CountingCohort(ids: ["A", "B"])
    let store = CropStore(cohort: cohort, cacheDirectory: directory.path)
    #expect(store.cacheDirectory == directory.path)
    let a = try store.input(for: cohort.patients[0])
    #expect(try store.input(for: cohort.patients[0]) == a)
    #expect(store.statistics.computed == 1 && store.statistics.memoryHits == 1)
    #expect(directory.files().count == 1)
    let expected = try Preprocessor.modelInput(image: cohort.volumes(for: cohort.patients[0]).image,
                                               mask: cohort.volumes(for: cohort.patients[0]).mask)
    #expect(a == expected)

    // A second store (a new run) reads the file: same input, no load.
    let loadsBefore = cohort.loads("A")
    let again = CropStore(cohort: cohort, cacheDirectory: directory.path)
    #expect(try again.input(for: cohort.patients[0]) == a)
    #expect(again.statistics.diskHits == 1 && again.statistics.computed == 0)
    #expect(cohort.loads("A") == loadsBefore)
  }

  @Test func changedFingerprintInvalidatesMemoryAndDisk() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    let cohort = CountingCohort(ids: ["A"])
    let store = CropStore(cohort: cohort, cacheDirectory: directory.path)
    let before = try store.input(for: cohort.patients[0])
    cohort.bump("A")
    let after = try store.input(for: cohort.patients[0])
    #expect(after != before)
    #expect(after.centre.y == before.centre.y + 1)
    #expect(store.statistics.computed == 2 && store.statistics.memoryHits == 0)
    // The file was rewritten for the new fingerprint.
    let fresh = CropStore(cohort: cohort, cacheDirectory: directory.path)
    #expect(try fresh.input(for: cohort.patients[0]) == after)
    #expect(fresh.statistics.diskHits == 1)
    #expect(directory.files().count == 1)
  }

  @Test func damagedCacheFilesAreIgnoredAndRewritten() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    let cohort = CountingCohort(ids: ["A/1", "B"])
    let log = WarningLog()
    let first = CropStore(cohort: cohort, cacheDirectory: directory.path)
    let good = try first.inputs(for: cohort.patients)
    let files = cohort.patients.map { CacheLocation.file(for: $0.id, in: directory.path) }
    #expect(directory.files() == files.map { String($0.split(separator: "/").last ?? "") }.sorted())

    // Truncate one file, and replace the other by a well-formed file holding a bad mask.
    let bytes = try FileIO.read(files[0])
    try FileIO.writeAtomically(Array(bytes.prefix(bytes.count / 2)), to: files[0])
    let parsed = try SafetensorsFile.read(files[1])
    var writer = SafetensorsWriter(metadata: parsed.metadata)
    writer.add("x", shape: [3, 64, 64], floats: good[1].x)
    writer.add("mask", shape: [3, 64, 64], uint8: good[1].mask.map { $0 == 0 ? 0 : 7 })
    try writer.write(to: files[1])

    let second = CropStore(cohort: cohort, cacheDirectory: directory.path, warnings: { log.add($0) })
    #expect(try second.inputs(for: cohort.patients) == good)
    #expect(second.statistics.corruptFiles == 2 && second.statistics.computed == 2)
    #expect(log.all.count == 2 && log.all.allSatisfy { $0.contains("damaged") })
    let third = CropStore(cohort: cohort, cacheDirectory: directory.path)
    #expect(try third.inputs(for: cohort.patients) == good)
    #expect(third.statistics.diskHits == 2)
  }

  @Test func memoryKeepsTheMostRecentlyUsedWithinItsBudget() throws {
    let directory = CohortScratchDirectory()
    defer { directory.remove() }
    let cohort = CountingCohort(ids: ["A", "B", "C"])
    let store = CropStore(cohort: cohort, cacheDirectory: directory.path, memoryBudget: 2 * ModelInput.count * 8)
    let (a, b, c) = (cohort.patients[0], cohort.patients[1], cohort.patients[2])
    _ = try store.input(for: a); _ = try store.input(for: b)
    _ = try store.input(for: a)  // A is now more recent than B
    _ = try store.input(for: c)  // evicts B
    #expect(store.statistics == statistics(memory: 1, disk: 0, computed: 3))
    _ = try store.input(for: a)
    _ = try store.input(for: b)  // from disk; evicts C
    _ = try store.input(for: c)  // from disk
    #expect(store.statistics == statistics(memory: 2, disk: 2, computed: 3))
  }

  func statistics(memory: Int, disk: Int, computed: Int) -> CropStore.Statistics {
    var s = CropStore.Statistics()
    s.memoryHits = memory; s.diskHits = disk; s.computed = computed
    return s
  }

  @Test func simultaneousRequestsComputeOnce() throws {
    let cohort = CountingCohort(ids: ["A"])
    let store = CropStore(cohort: cohort, diskCache: false)
    #expect(store.cacheDirectory == nil)
    let inputs = WarningLog()
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      let input = try? store.input(for: cohort.patients[0])
      inputs.add(input.map { "\($0.centre)" } ?? "failed")
    }
    #expect(cohort.loads("A") == 1)
    #expect(Set(inputs.all).count == 1 && inputs.all.count == 8 && inputs.all[0] != "failed")
    #expect(store.statistics.computed == 1 && store.statistics.memoryHits == 7)
  }

  @Test func batchesKeepOrderReportErrorsAndStopWhenCancelled() throws {
    let ids = ["p0", "p1", "empty", "p3", "p4", "p5"]
    let cohort = CountingCohort(ids: ids)
    let store = CropStore(cohort: cohort, diskCache: false)
    let done = WarningLog()
    let answer = store.results(for: cohort.patients, progress: { n, total in done.add("\(n)/\(total)") })
    let results = try #require(answer)
    #expect(results.count == 6)
    for (patient, result) in zip(cohort.patients, results) where patient.id != "empty" {
      let single = try Preprocessor.modelInput(image: cohort.volumes(for: patient).image, mask: cohort.volumes(for: patient).mask)
      #expect(try result.get() == single)
    }
    guard case .failure(let error) = results[2] else { Issue.record("the empty mask must fail"); return }
    #expect(error.path == "counting" && error.place == "patient empty")
    #expect(error.problem.contains("mask is empty"))
    #expect(done.all.contains("6/6"))
    #expect(throws: error) { try store.inputs(for: cohort.patients) }
    // The failure is remembered until the fingerprint changes.
    let loads = cohort.loads("empty")
    #expect(throws: error) { try store.input(for: cohort.patients[2]) }
    #expect(cohort.loads("empty") == loads)

    #expect(store.results(for: cohort.patients, isCancelled: { true }) == nil)
    #expect(try store.inputs(for: []) == [])
  }

  @Test func cacheGoesBesideTheCohortElseToTheUserCache() throws {
    let root = CohortScratchDirectory()
    defer { root.remove() }
    let cohortDirectory = root.path + "/my cohort"
    try FileManager.default.createDirectory(atPath: cohortDirectory, withIntermediateDirectories: true)
    let cohort = CountingCohort(ids: ["A"], directory: cohortDirectory)
    #expect(CropStore(cohort: cohort).cacheDirectory == cohortDirectory + "/.fgf-cache")

    // A file where the cache directory would be makes the cohort directory unusable for it.
    let blocked = CountingCohort(ids: ["A"], directory: root.path + "/blocked")
    try FileManager.default.createDirectory(atPath: root.path + "/blocked", withIntermediateDirectories: true)
    try FileIO.writeAtomically([1], to: root.path + "/blocked/.fgf-cache")
    let xdg = CacheLocation.choose(for: blocked, environment: ["XDG_CACHE_HOME": root.path + "/xdg", "HOME": "/nonexistent"])
    #expect(xdg?.hasPrefix(root.path + "/xdg/fgf/blocked-") == true)
    let home = CacheLocation.choose(for: blocked, environment: ["XDG_CACHE_HOME": "relative/is/ignored", "HOME": root.path + "/home"])
    #expect(home?.hasPrefix(root.path + "/home/.cache/fgf/blocked-") == true)
    #expect(CacheLocation.choose(for: blocked, environment: [:]) == nil)
    // Different cohort paths get different directories; the same path the same one.
    let other = CountingCohort(ids: ["A"], directory: root.path + "/elsewhere/blocked")
    let otherXDG = CacheLocation.choose(for: other, environment: ["XDG_CACHE_HOME": root.path + "/xdg"])
    #expect(otherXDG != nil && otherXDG != xdg)
    #expect(CacheLocation.choose(for: blocked, environment: ["XDG_CACHE_HOME": root.path + "/xdg"]) == xdg)
  }

  @Test func unwritableCacheIsNotFatal() throws {
    let directory = CohortScratchDirectory()
    let cohort = CountingCohort(ids: ["A", "B"])
    let log = WarningLog()
    let store = CropStore(cohort: cohort, cacheDirectory: directory.path, warnings: { log.add($0) })
    directory.remove()  // the cache directory vanishes under the store
    for patient in cohort.patients { _ = try store.input(for: patient) }
    #expect(store.statistics.failedWrites == 1 && store.statistics.computed == 2)
    #expect(log.all.count == 1 && log.all[0].contains("cannot write the crop cache"))
  }

  @Test func cacheFileNamesAreSafeAndDistinct() {
    let a = CacheLocation.file(for: "../etc/passwd", in: "/c")
    let b = CacheLocation.file(for: "__/etc/passwd", in: "/c")
    #expect(a.hasPrefix("/c/_._etc_passwd-") && a.hasSuffix(".safetensors"))
    #expect(a != b)
  }
}
