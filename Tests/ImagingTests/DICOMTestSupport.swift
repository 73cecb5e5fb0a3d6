// Shared helpers of the DICOM, RTSTRUCT and import tests: a temporary directory removed when done,
// and directory listings.
import Foundation

/// A fresh directory under the system temporary directory, removed on deinit.
final class ScratchDirectory {
  let path: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.path
    path = base + "/fgf-dicom-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Whether `path` is a directory.
func isDirectory(_ path: String) -> Bool {
  var directory: ObjCBool = false
  return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}

/// The regular files under `root`, recursively, sorted.
func files(under root: String) throws -> [String] {
  guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
  var found: [String] = []
  while let relative = enumerator.nextObject() as? String {
    let path = root + "/" + relative
    if !isDirectory(path) { found.append(path) }
  }
  return found.sorted()
}
