// CropStore: the model inputs (preprocessed crops) of a cohort's patients, computed once and kept
// in memory (bounded, least recently used first out) and on disk (one safetensors file per
// patient), both keyed by the patient's fingerprint so that a changed source file is noticed.
// Safe to use from many threads at once; a patient requested twice at the same time is computed once.

import Common
import Dispatch
import Foundation

public final class CropStore: @unchecked Sendable {
  /// Counts of where inputs came from, for status lines and tests.
  public struct Statistics: Sendable, Equatable {
    public var memoryHits = 0
    /// Read from a valid, current cache file.
    public var diskHits = 0
    /// Computed from the volumes (including recomputations after a change).
    public var computed = 0
    /// Cache files that could not be used although they were current (damaged): ignored and rewritten.
    public var corruptFiles = 0
    /// Cache files that could not be written (the cache carries on in memory).
    public var failedWrites = 0
    public init() {}
  }

  public let cohort: any CohortSource
  /// Where crops are cached on disk; nil when disk caching is off or no location was writable.
  public let cacheDirectory: String?
  /// Bytes of crops kept in memory at most (about 100 kB per patient).
  public let memoryBudget: Int

  let warnings: (@Sendable (String) -> Void)?
  let lock = NSCondition()
  // Guarded by `lock`:
  var memory: [String: MemoryEntry] = [:]
  var failures: [String: (key: String, error: FileError)] = [:]
  var inFlight = Set<String>()
  var clock: UInt64 = 0
  var counts = Statistics()
  var writesDisabled = false

  struct MemoryEntry {
    var key: String
    var input: ModelInput
    var lastUse: UInt64
  }

  static let bytesPerEntry = ModelInput.count * 2 * MemoryLayout<Float>.size

  /// A store for `cohort`. `cacheDirectory` overrides where crop files go (nil: beside the
  /// cohort in `.fgf-cache/` when writable, else the user's cache directory); `diskCache: false`
  /// keeps crops in memory only. `warnings` hears about damaged cache files and failed writes.
  public init(cohort: any CohortSource, cacheDirectory: String? = nil, diskCache: Bool = true,
              memoryBudget: Int = 256 << 20, warnings: (@Sendable (String) -> Void)? = nil) {
    self.cohort = cohort
    self.memoryBudget = max(memoryBudget, 0)
    self.warnings = warnings
    if !diskCache {
      self.cacheDirectory = nil
    } else if let cacheDirectory {
      if CacheLocation.makeDirectory(cacheDirectory) {
        self.cacheDirectory = cacheDirectory
      } else {
        self.cacheDirectory = nil
        warnings?("cannot create the crop cache directory \(cacheDirectory); crops are kept in memory only")
      }
    } else {
      self.cacheDirectory = CacheLocation.choose(for: cohort, environment: ProcessInfo.processInfo.environment)
      if self.cacheDirectory == nil {
        warnings?("no writable place for the crop cache of \(cohort.name); crops are kept in memory only")
      }
    }
    // Crop files a killed process was writing (never read: crops are read by their final names).
    if let directory = self.cacheDirectory { FileIO.removeStaleTemporaries(in: directory) }
  }

  /// Counts so far.
  public var statistics: Statistics {
    lock.lock(); defer { lock.unlock() }
    return counts
  }

  /// Forgets the crops held in memory (the disk cache stays).
  public func clearMemory() {
    lock.lock(); defer { lock.unlock() }
    memory.removeAll()
    failures.removeAll()
  }

  /// The model input of `patient`: from memory, else from the disk cache, else computed from
  /// the cohort's volumes (and then cached). Errors name the patient's origin (cohort.csv line).
  public func input(for patient: PatientRecord) throws(FileError) -> ModelInput {
    let key = "\(cohort.fingerprint(for: patient))|preprocess \(Preprocessor.version)"
    lock.lock()
    while true {
      if let entry = memory[patient.id], entry.key == key {
        clock += 1
        memory[patient.id]?.lastUse = clock
        counts.memoryHits += 1
        lock.unlock()
        return entry.input
      }
      if let failure = failures[patient.id], failure.key == key {
        lock.unlock()
        throw failure.error
      }
      if !inFlight.contains(patient.id) { break }
      lock.wait()  // another thread is computing this patient: use its result
    }
    inFlight.insert(patient.id)
    lock.unlock()

    let result = load(patient, key: key)
    lock.lock()
    inFlight.remove(patient.id)
    switch result {
    case .success(let (input, fromDisk)):
      if fromDisk { counts.diskHits += 1 } else { counts.computed += 1 }
      remember(input, for: patient.id, key: key)
    case .failure(let error):
      failures[patient.id] = (key, error)
    }
    lock.broadcast()
    lock.unlock()
    return try result.get().input
  }

  /// Inputs of many patients in their order, computed in parallel; the first failure (in order) throws.
  public func inputs(for patients: [PatientRecord]) throws(FileError) -> [ModelInput] {
    var inputs: [ModelInput] = []
    inputs.reserveCapacity(patients.count)
    for result in results(for: patients) ?? [] { inputs.append(try result.get()) }
    return inputs
  }

  /// Each patient's input or error, in the patients' order, computed on all cores. `progress`
  /// hears (done, total) from worker threads; when `isCancelled` turns true the workers stop
  /// and the answer is nil.
  public func results(for patients: [PatientRecord],
                      progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                      isCancelled: (@Sendable () -> Bool)? = nil) -> [Result<ModelInput, FileError>]? {
    let batch = Batch(count: patients.count)
    let workers = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), patients.count)
    if workers > 0 {
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = batch.claim(cancelled: isCancelled?() ?? false) {
          let result = Result { () throws(FileError) -> ModelInput in try self.input(for: patients[index]) }
          let done = batch.finish(index, result)
          progress?(done, patients.count)
        }
      }
    }
    return batch.results()
  }

  /// Reads the cache file or computes the input (and writes the file). Called without the lock.
  func load(_ patient: PatientRecord, key: String) -> Result<(input: ModelInput, fromDisk: Bool), FileError> {
    let file = cacheDirectory.map { CacheLocation.file(for: patient.id, in: $0) }
    if let file {
      switch CropFile.read(file, patient: patient.id, key: key) {
      case .valid(let input): return .success((input, true))
      case .absent, .stale: break
      case .damaged(let reason):
        lock.lock(); counts.corruptFiles += 1; lock.unlock()
        warnings?("crop cache \(file) is damaged (\(reason)); recomputing it")
      }
    }
    let volumes: (image: Volume, mask: Mask)
    do { volumes = try cohort.volumes(for: patient) } catch { return .failure(error) }
    let input: ModelInput
    do {
      input = try Preprocessor.modelInput(image: volumes.image, mask: volumes.mask)
    } catch {
      let origin = cohort.origin(of: patient)
      return .failure(FileError(path: origin.path, place: origin.place, problem: "patient \(patient.id): \(error)"))
    }
    if let file { write(input, patient: patient.id, key: key, to: file) }
    return .success((input, false))
  }

  func write(_ input: ModelInput, patient: String, key: String, to file: String) {
    lock.lock()
    let disabled = writesDisabled
    lock.unlock()
    guard !disabled else { return }
    do {
      try CropFile.write(input, patient: patient, key: key, to: file)
    } catch {
      lock.lock()
      counts.failedWrites += 1
      let first = !writesDisabled
      writesDisabled = true
      lock.unlock()
      if first { warnings?("cannot write the crop cache (\(error)); crops are kept in memory only") }
    }
  }

  /// Keeps `input` in memory, dropping the least recently used crops beyond the budget. Under the lock.
  func remember(_ input: ModelInput, for id: String, key: String) {
    clock += 1
    memory[id] = MemoryEntry(key: key, input: input, lastUse: clock)
    let capacity = memoryBudget / CropStore.bytesPerEntry
    while memory.count > max(capacity, 0) {
      guard let oldest = memory.min(by: { $0.value.lastUse < $1.value.lastUse })?.key else { break }
      memory.removeValue(forKey: oldest)
    }
  }
}

/// Work sharing for `CropStore.results`: workers claim the next patient, results land in order.
final class Batch: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0, done = 0, stopped = false
  private var slots: [Result<ModelInput, FileError>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func claim(cancelled: Bool) -> Int? {
    lock.lock(); defer { lock.unlock() }
    if cancelled { stopped = true }
    guard !stopped, next < slots.count else { return nil }
    next += 1
    return next - 1
  }

  func finish(_ index: Int, _ result: Result<ModelInput, FileError>) -> Int {
    lock.lock(); defer { lock.unlock() }
    slots[index] = result
    done += 1
    return done
  }

  func results() -> [Result<ModelInput, FileError>]? {
    lock.lock(); defer { lock.unlock() }
    guard !stopped else { return nil }
    return slots.compactMap { $0 }
  }
}
