// Shared helpers of the DICOM, RTSTRUCT and import tests: a temporary directory removed when done.
import Foundation

/// A fresh directory under the system temporary directory, removed on deinit.
final class TemporaryDirectory {
  let path: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.path
    path = base + "/fgf-dicom-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
