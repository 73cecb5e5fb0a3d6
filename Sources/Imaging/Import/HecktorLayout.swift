// Finding the cases of a HECKTOR release. Two layouts are recognised:
// - 2022 (and the 2025 flat release): imagesTr/ID__CT.nii.gz with labelsTr/ID.nii.gz (likewise
//   imagesTs/labelsTs);
// - one folder per patient (2025 task folders, 2026): ID/ID__CT.nii.gz with ID/ID.nii.gz.
// The CT is the file ending exactly "__CT.nii.gz" (or "__CT.nii"), so __PT, __CTPlanning and
// __dosimetry_CT files are not taken for it. A label file may write the id with "_" where the
// image has "-" (the 2022 page shows both).

import Common

public struct HecktorCase: Sendable, Equatable {
  public var id: String
  public var ct: String
  /// The label map (1 = GTVp, 2 = GTVn), nil when the release has none for this case.
  public var label: String?
}

public enum HecktorLayout {
  /// The cases under `source` and the name of the layout found.
  public static func cases(in source: String) throws(FileError) -> (cases: [HecktorCase], layout: String) {
    let root = source.count > 1 && source.hasSuffix("/") ? String(source.dropLast()) : source
    guard DirectoryWalk.isDirectory(root) else { throw FileError(path: root, problem: "not a directory") }
    let names = DirectoryWalk.entries(root) ?? []

    var cases: [HecktorCase] = []
    for (images, labels) in [("imagesTr", "labelsTr"), ("imagesTs", "labelsTs")] where names.contains(images) {
      let imageDirectory = root + "/" + images, labelDirectory = root + "/" + labels
      let labelNames = DirectoryWalk.entries(labelDirectory) ?? []
      for name in DirectoryWalk.entries(imageDirectory) ?? [] {
        guard let id = ctID(name) else { continue }
        cases.append(HecktorCase(id: id, ct: imageDirectory + "/" + name,
                                 label: labelFile(id, among: labelNames).map { labelDirectory + "/" + $0 }))
      }
    }
    if !cases.isEmpty { return (cases, "imagesTr/ID__CT.nii.gz with labelsTr/ID.nii.gz") }

    for folder in names where DirectoryWalk.isDirectory(root + "/" + folder) {
      let directory = root + "/" + folder
      let inside = DirectoryWalk.entries(directory) ?? []
      for name in inside {
        guard let id = ctID(name) else { continue }
        cases.append(HecktorCase(id: id, ct: directory + "/" + name,
                                 label: labelFile(id, among: inside).map { directory + "/" + $0 }))
      }
    }
    if !cases.isEmpty { return (cases, "one folder per patient: ID/ID__CT.nii.gz with ID/ID.nii.gz") }

    let tasks = names.filter { $0.lowercased().hasPrefix("task") }
    throw FileError(path: root, problem: "holds no HECKTOR cases",
                    hint: tasks.isEmpty
                      ? "expected imagesTr/ID__CT.nii.gz with labelsTr/ID.nii.gz, or one folder per patient holding ID__CT.nii.gz and ID.nii.gz"
                      : "give the task folder itself, e.g. \(root)/\(tasks[0])")
  }

  /// The patient id of a CT file name ("CHUM-001__CT.nii.gz" → "CHUM-001"), nil for other files.
  static func ctID(_ name: String) -> String? {
    for suffix in ["__CT.nii.gz", "__CT.nii"] where name.hasSuffix(suffix) && name.count > suffix.count {
      return String(name.dropLast(suffix.count))
    }
    return nil
  }

  /// The label file of `id` among `names`: ID.nii.gz or ID.nii, the id also with "-" and "_" swapped.
  static func labelFile(_ id: String, among names: [String]) -> String? {
    let variants = [id, id.replacingAll("-", with: "_"), id.replacingAll("_", with: "-")]
    for variant in variants {
      for suffix in [".nii.gz", ".nii"] where names.contains(variant + suffix) { return variant + suffix }
    }
    return nil
  }
}
