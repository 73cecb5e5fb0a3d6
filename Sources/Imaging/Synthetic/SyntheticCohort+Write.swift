// SyntheticCohort+Write: writes a synthetic cohort as a cohort directory (DESIGN §4): cohort.csv
// beside images/<id>.nii.gz and masks/<id>.nii.gz. The directory is built under a temporary name
// next to the target and renamed into place at the end, so no one ever sees a half-written cohort;
// one a killed run left behind is removed by the next write.

import Common
import Foundation
import Glibc

extension SyntheticCohort {
  /// Where a patient's files go, relative to the cohort directory.
  public static func imagePath(for id: String) -> String { "images/\(id).nii.gz" }
  public static func maskPath(for id: String) -> String { "masks/\(id).nii.gz" }

  /// The records of `patients` with their image and mask paths filled in, as cohort.csv lists them.
  public var recordsWithPaths: [PatientRecord] {
    patients.map { record in
      var record = record
      record.image = Self.imagePath(for: record.id)
      record.mask = Self.maskPath(for: record.id)
      return record
    }
  }

  /// Writes the cohort to `directory`, which must not exist or be an empty directory; its parent
  /// must exist. Patients are generated and written on all cores; the files do not depend on the
  /// order they are made in. `progress` is called (from any thread) with the number of patients
  /// written so far; `isCancelled` is polled between patients, and a cancelled or failed write
  /// removes everything it made and throws.
  public func write(to directory: String, compressionLevel: Int = 1,
                    progress: (@Sendable (Int) -> Void)? = nil,
                    isCancelled: (@Sendable () -> Bool)? = nil) throws(FileError) {
    let target = Self.withoutTrailingSlashes(directory)
    try Self.checkTarget(target)
    // What an earlier, killed run left behind (nothing else cleans it up).
    FileIO.removeStaleTemporaries(of: target)
    let temporary = FileIO.temporaryPath(for: target, hidden: true)
    try Self.makeDirectory(temporary)
    do throws(FileError) {
      try Self.makeDirectory(temporary + "/images")
      try Self.makeDirectory(temporary + "/masks")
      let records = recordsWithPaths
      let counter = ProgressCounter()
      let cohort = self
      let failures: [FileError?] = Parallel.map(records.count) { i in
        if isCancelled?() == true { return FileError(path: directory, problem: "cancelled") }
        do throws(FileError) {
          let (image, mask) = SyntheticPhantom.volumes(for: cohort.groundTruth[i], seed: cohort.seed)
          try NIfTIFile.write(image, to: temporary + "/" + records[i].image, compressionLevel: compressionLevel)
          try NIfTIFile.write(mask, to: temporary + "/" + records[i].mask, compressionLevel: compressionLevel)
        } catch {
          return error
        }
        progress?(counter.increment())
        return nil
      }
      if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
      try CohortCSV.write(records: records, extraColumns: extraColumns, to: temporary + "/" + CohortCSV.fileName)
      // rename(2) replaces an empty directory; a non-empty one (made meanwhile) makes it fail.
      guard rename(temporary, target) == 0 else {
        throw FileError(path: directory, problem: "cannot move the finished cohort into place: \(String(cString: strerror(errno)))",
                        hint: "was the directory filled while fgf was writing?")
      }
      FileIO.syncDirectory(containing: target)
    } catch {
      FileIO.removeTree(temporary)
      throw error
    }
  }

  /// Refuses a target that exists and is not an empty directory, or whose parent is missing.
  static func checkTarget(_ target: String) throws(FileError) {
    var info = stat()
    if stat(target, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw FileError(path: target, problem: "exists and is not a directory", hint: "choose a new directory name")
      }
      guard FileIO.listDirectory(target).isEmpty else {
        throw FileError(path: target, problem: "exists and is not empty",
                        hint: "fgf synth writes a new cohort directory; choose a new name or remove the old one")
      }
      return
    }
    let parent = parentDirectory(of: target)
    guard stat(parent, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
      throw FileError(path: target, problem: "its parent directory \(parent) does not exist")
    }
  }

  static func withoutTrailingSlashes(_ path: String) -> String {
    var text = Substring(path)
    while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
    return String(text)
  }

  static func parentDirectory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let parent = String(path[..<slash])
    return parent.isEmpty ? "/" : parent
  }

  static func makeDirectory(_ path: String) throws(FileError) {
    guard mkdir(path, 0o755) == 0 else {
      throw FileError(path: path, problem: "cannot create the directory: \(String(cString: strerror(errno)))")
    }
  }
}

/// Counts finished patients across threads.
private final class ProgressCounter: @unchecked Sendable {
  private var count = 0
  private let lock = NSLock()
  func increment() -> Int { lock.withLock { count += 1; return count } }
}
