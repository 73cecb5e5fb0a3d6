// The directory an import builds: everything goes into "<out>.partial" next to the output, each
// patient's image and mask written atomically and then recorded in a journal, and only a finished
// cohort is renamed to the output. An interrupted import is resumed from the journal when run
// again with the same source and options; other options are refused, as is an existing output.

import Common
import Glibc

final class CohortBuild {
  /// What an imported patient's files are and what the report says about them.
  struct Entry: Sendable {
    var id: String
    var image: String
    var mask: String
    /// Values of the importer's detail columns (e.g. the ROI names).
    var details: [String]
    var notes: [String]
  }

  let output: String
  let partial: String
  private(set) var entries: [String: Entry] = [:]
  private var stems: Set<String> = []
  /// Patients found in the journal of an earlier run.
  private(set) var resumedCount = 0

  var journal: String { partial + "/.import" }

  /// Opens (or resumes) the build of `output`. `identity` describes the source and options; a
  /// partial build made with another identity is refused.
  init(output: String, identity: JSONValue) throws(FileError) {
    let trimmed = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
    self.output = trimmed
    self.partial = trimmed + ".partial"
    var info = stat()
    if lstat(trimmed, &info) == 0 {
      throw FileError(path: trimmed, problem: "already exists", hint: "choose another --out, or remove it to import again")
    }
    let identityPath = partial + "/.import/options.json"
    // A build without its options.json was killed before it recorded them (only empty directories
    // and temporaries are there) or while `finish` removed the journal (its cohort.csv and report
    // are written): there is no journal to resume from, so the build is started over.
    if lstat(partial, &info) == 0, lstat(identityPath, &info) != 0,
       CohortBuild.holdsOnlyTemporaries(partial)
        || (lstat(partial + "/" + CohortCSV.fileName, &info) == 0 && lstat(partial + "/" + CohortImport.reportName, &info) == 0) {
      CohortBuild.removeTree(partial)
    }
    if lstat(partial, &info) == 0 {
      let recorded = try? JSONValue.parse(FileIO.read(identityPath, limit: 1 << 20))
      guard let recorded, recorded == identity else {
        throw FileError(path: partial, problem: "holds an unfinished import of another source or with other options",
                        hint: "run the same command again to resume it, or remove \(partial) to start over")
      }
      try loadJournal()
      // A run killed while `finish` removed the journal may have taken a directory with it.
      for directory in [partial + "/images", partial + "/masks", journal, journal + "/patients"] {
        try makeDirectory(directory)
      }
    } else {
      for directory in [partial, partial + "/images", partial + "/masks", journal, journal + "/patients"] {
        try makeDirectory(directory)
      }
      try FileIO.writeAtomically(Array(identity.serialized.utf8), to: identityPath)
    }
  }

  /// The journal entry of `id` from an earlier run, if its files are there.
  func entry(for id: String) -> Entry? { entries[id] }

  /// Writes a patient's image and mask, then its journal entry.
  func write(id: String, image: PatientImage, mask: Mask, details: [String], notes: [String]) throws(FileError) -> Entry {
    let stem = uniqueStem(for: id)
    let imagePath: String
    switch image {
    case .volume(let volume):
      imagePath = "images/\(stem).nii.gz"
      try NIfTIFile.write(volume, to: partial + "/" + imagePath)
    case .copy(let source):
      imagePath = "images/\(stem)" + (source.hasSuffix(".gz") ? ".nii.gz" : ".nii")
      try FileIO.writeAtomically(FileIO.read(source), to: partial + "/" + imagePath)
    }
    let maskPath = "masks/\(stem).nii.gz"
    try NIfTIFile.write(mask, to: partial + "/" + maskPath)
    let entry = Entry(id: id, image: imagePath, mask: maskPath, details: details, notes: notes)
    let json = JSONValue.object([
      ("id", .string(id)), ("image", .string(imagePath)), ("mask", .string(maskPath)),
      ("details", .array(details.map(JSONValue.string))), ("notes", .array(notes.map(JSONValue.string))),
    ])
    try FileIO.writeAtomically(Array(json.serialized.utf8), to: journal + "/patients/\(stem).json")
    entries[id] = entry
    return entry
  }

  /// Writes the final files, removes the journal and renames the build to the output.
  func finish(files: [(name: String, text: String)]) throws(FileError) {
    for file in files { try FileIO.writeAtomically(Array(file.text.utf8), to: partial + "/" + file.name) }
    CohortBuild.removeTree(journal)
    var info = stat()
    if lstat(output, &info) == 0 { throw FileError(path: output, problem: "appeared while the import ran; the cohort is left in \(partial)") }
    guard rename(partial, output) == 0 else {
      throw FileError(path: output, problem: "cannot rename \(partial) to it: \(String(cString: strerror(errno)))")
    }
    FileIO.syncDirectory(containing: output)
  }

  /// Removes the build (when nothing could be imported).
  func abandon() { CohortBuild.removeTree(partial) }

  /// A file name stem for `id`: letters, digits, ".", "_" and "-" kept, anything else "_",
  /// made unique with "-2", "-3", … when two ids would collide.
  private func uniqueStem(for id: String) -> String {
    var base = String(id.unicodeScalars.map { scalar -> Character in
      let ok = (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "._-".unicodeScalars.contains(scalar)
      return ok ? Character(scalar) : "_"
    })
    if base.isEmpty || base.hasPrefix(".") { base = "_" + base }
    var stem = base, n = 2
    while stems.contains(stem.lowercased()) { stem = "\(base)-\(n)"; n += 1 }
    stems.insert(stem.lowercased())
    return stem
  }

  private func loadJournal() throws(FileError) {
    for name in DirectoryWalk.entries(journal + "/patients") ?? [] where name.hasSuffix(".json") {
      guard let bytes = try? FileIO.read(journal + "/patients/" + name, limit: 1 << 20),
            let json = try? JSONValue.parse(bytes),
            let id = json["id"]?.stringValue, let image = json["image"]?.stringValue, let mask = json["mask"]?.stringValue,
            (try? FileIO.size(of: partial + "/" + image)) != nil, (try? FileIO.size(of: partial + "/" + mask)) != nil
      else { continue }
      let details = json["details"]?.arrayValue?.compactMap(\.stringValue) ?? []
      let notes = json["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
      entries[id] = Entry(id: id, image: image, mask: mask, details: details, notes: notes)
      stems.insert(String(name.dropLast(5)).lowercased())
      resumedCount += 1
    }
  }

  private func makeDirectory(_ path: String) throws(FileError) {
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
      throw FileError(path: path, problem: "cannot create the directory: \(String(cString: strerror(errno)))")
    }
  }

  /// Whether `path` (a directory) holds no file but writers' temporaries, at any depth.
  static func holdsOnlyTemporaries(_ path: String) -> Bool {
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
    for name in FileIO.listDirectory(path) {
      let child = path + "/" + name
      guard lstat(child, &info) == 0 else { continue }
      if (info.st_mode & S_IFMT) == S_IFDIR {
        if !holdsOnlyTemporaries(child) { return false }
      } else if !name.contains(".tmp-") {
        return false
      }
    }
    return true
  }

  /// Removes `path` and everything under it (without following links).
  static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      if let handle = opendir(path) {
        var names: [String] = []
        while let entry = readdir(handle) {
          let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
          }
          if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names { removeTree(path + "/" + name) }
      }
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}

/// Where an imported patient's image comes from.
enum PatientImage {
  /// A volume to write as NIfTI.
  case volume(Volume)
  /// A NIfTI file to copy as it is.
  case copy(String)
}
