// The crop store's disk side: where the cache lives (beside the cohort, else the user's cache
// directory) and the one safetensors file per patient (tensors `x` float32 and `mask` uint8,
// [3,64,64]; the patient id, fingerprint key, slice thickness and centre in the metadata).
// A file that is missing, stale or damaged is simply recomputed: the cache is never fatal.

import Common
import Glibc

package enum CacheLocation {
  /// The cache directory for `cohort`: `<directory>/.fgf-cache` when the cohort has a directory
  /// and it is writable; else `$XDG_CACHE_HOME/fgf/<name>-<hash>` (an absolute XDG_CACHE_HOME
  /// only, as the XDG spec says), else `$HOME/.cache/fgf/<name>-<hash>`, where the hash is of the
  /// cohort's directory path (or name). Nil when none can be created.
  package static func choose(for cohort: any CohortSource, environment: [String: String]) -> String? {
    if let directory = cohort.directory {
      let beside = directory + "/.fgf-cache"
      if makeDirectory(beside) { return beside }
    }
    let base: String
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
      base = xdg + "/fgf"
    } else if let home = environment["HOME"], home.hasPrefix("/") {
      base = home + "/.cache/fgf"
    } else {
      return nil
    }
    let identity = cohort.directory ?? cohort.name
    let last = identity.split(separator: "/").last.map(String.init) ?? "cohort"
    let candidate = base + "/" + slug(last, limit: 40) + "-" + hex(fnv1a(identity))
    return makeDirectory(candidate) ? candidate : nil
  }

  /// The cache file of patient `id`: a readable, file-system-safe form of the id plus a hash of
  /// the exact id (ids may hold any character, and two may differ only in unsafe ones).
  package static func file(for id: String, in directory: String) -> String {
    directory + "/" + slug(id, limit: 80) + "-" + hex(fnv1a(id)) + ".safetensors"
  }

  /// Creates `path` and its parents as needed; true when it is then a writable directory.
  static func makeDirectory(_ path: String) -> Bool {
    var partial = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      partial += "/" + component
      if mkdir(partial, 0o755) != 0 && errno != EEXIST { return false }
    }
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
    return access(path, W_OK) == 0
  }

  static func slug(_ text: String, limit: Int) -> String {
    let safe = text.unicodeScalars.prefix(limit).map { scalar -> Character in
      let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") ||
        scalar == "-" || scalar == "_" || scalar == "."
      return ok ? Character(scalar) : "_"
    }
    let result = String(safe)
    return result.hasPrefix(".") ? "_" + result.dropFirst() : result  // never a hidden file
  }

  /// 64-bit FNV-1a: small, stable across runs and platforms (Swift's Hasher is seeded per process).
  static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
  }

  static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

enum CropFile {
  enum Reading: Equatable {
    case absent
    /// Written for another fingerprint (the source changed) or another patient (a hash clash).
    case stale
    case damaged(String)
    case valid(ModelInput)
  }

  static let shape = [ModelInput.channels, ModelInput.side, ModelInput.side]
  /// A crop file is about 62 kB; anything much larger is not one.
  static let sizeLimit = 1 << 20

  static func write(_ input: ModelInput, patient: String, key: String, to path: String) throws(FileError) {
    var writer = SafetensorsWriter()
    writer.setMetadata("fgf.patient", patient)
    writer.setMetadata("fgf.fingerprint", key)
    writer.setMetadata("fgf.slice_thickness", String(input.sliceThickness))
    writer.setMetadata("fgf.centre", "\(input.centre.z),\(input.centre.y),\(input.centre.x)")
    writer.add("x", shape: shape, floats: input.x)
    writer.add("mask", shape: shape, uint8: input.mask.map { $0 == 0 ? 0 : 1 })
    try replace(path, with: writer.encoded())
  }

  /// Writes a temporary file beside `path` and renames it over `path`: readers see the old file
  /// or the new one, never a partial one. Unlike `FileIO.writeAtomically` there is no fsync: a
  /// crop that a crash loses or damages is only recomputed, and thousands of fsyncs would make
  /// the first pass over a cohort I/O-bound. The temporary name is unique per call, so stores
  /// writing the same patient at once cannot collide; a killed writer's is removed when a store
  /// next opens the cache.
  static func replace(_ path: String, with bytes: [UInt8]) throws(FileError) {
    let temporary = FileIO.temporaryPath(for: path)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw FileError(path: path, problem: "cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    var done = 0
    while done < bytes.count {
      let wrote = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
      if wrote < 0 && errno == EINTR { continue }
      guard wrote > 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(temporary)
        throw FileError(path: path, problem: "write failed: \(reason)", hint: "is the disk full?")
      }
      done += wrote
    }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw FileError(path: path, problem: "cannot rename the new file into place: \(reason)")
    }
  }

  static func read(_ path: String, patient: String, key: String) -> Reading {
    var info = stat()
    if stat(path, &info) != 0 { return errno == ENOENT ? .absent : .damaged("cannot stat it") }
    let file: SafetensorsFile
    do {
      file = try SafetensorsFile.parse(FileIO.read(path, limit: sizeLimit), path: path)
    } catch {
      return .damaged(error.problem)
    }
    guard file.metadata["fgf.patient"] == patient, file.metadata["fgf.fingerprint"] == key else { return .stale }
    guard let thickness = file.metadata["fgf.slice_thickness"].flatMap(Double.init), thickness.isFinite, thickness > 0 else {
      return .damaged("no valid slice thickness")
    }
    let centre = (file.metadata["fgf.centre"] ?? "").split(separator: ",").compactMap { Int($0) }
    guard centre.count == 3 else { return .damaged("no valid centre") }
    guard let xEntry = file.entry("x"), xEntry.dtype == .f32, xEntry.shape == shape,
          let maskEntry = file.entry("mask"), maskEntry.dtype == .u8, maskEntry.shape == shape,
          let x = try? file.floats("x").values, let mask = try? file.floats("mask").values else {
      return .damaged("tensors x (F32) and mask (U8) of shape [3, 64, 64] expected")
    }
    guard x.allSatisfy({ $0 >= -1 && $0 <= 1 }) else { return .damaged("x outside [-1, 1]") }
    guard mask.allSatisfy({ $0 == 0 || $0 == 1 }) else { return .damaged("mask values other than 0 and 1") }
    return .valid(ModelInput(x: x, mask: mask, sliceThickness: thickness, centre: (centre[0], centre[1], centre[2])))
  }
}
