// ExploreSession: opens what `fgf explore` shows: a cohort directory or the built-in demo cohort,
// and up to two model files (by default the demo models A and B shipped in Assets/).

import Common
import Engine
import Foundation
import Imaging

public enum ExploreSession {
  /// The demo models' file names in Assets/.
  public static let demoModels = ["model-A.safetensors", "model-B.safetensors"]

  /// The provider for `cohort` (a cohort directory; nil: the demo) and `models` (model files;
  /// empty: the demo models, where present). A cohort or model file named by the user that cannot
  /// be read is an error; rows of a cohort that cannot be used are skipped with a notice, and
  /// missing demo models are a notice (the explorer still shows the cohort).
  public static func open(cohort path: String?, models paths: [String]) throws(FileError) -> CohortExplorerData {
    var notices: [String] = []
    let cohort: any CohortSource
    if let path {
      var warnings: [String] = []
      cohort = try CohortDirectory(path: path, skipInvalid: true, warnings: { warnings.append($0) })
      if let first = warnings.first {
        notices.append(warnings.count == 1 ? first : "\(first) (and \(warnings.count - 1) more rows skipped)")
      }
    } else {
      cohort = SyntheticCohort.demo()
    }

    var models: [(name: String, model: Model)] = []
    if paths.isEmpty {
      for name in demoModels {
        let file = AssetLocator.path(name)
        guard FileManager.default.fileExists(atPath: file) else { continue }
        do { models.append((displayName(file), try Model.load(file))) } catch { notices.append(error.description) }
      }
      if models.isEmpty {
        notices.append("no demo models in \(AssetLocator.directory); open models with --model FILE")
      }
    } else {
      for file in paths { models.append((displayName(file), try Model.load(file))) }
    }
    let warnings = NoticeBox()
    let crops = CropStore(cohort: cohort, warnings: { warnings.add($0) })
    notices += warnings.all
    return CohortExplorerData(cohort: cohort, models: models, crops: crops, notices: notices)
  }

  /// "model-A" for ".../model-A.safetensors".
  static func displayName(_ path: String) -> String {
    let file = URL(fileURLWithPath: path).lastPathComponent
    return file.hasSuffix(".safetensors") ? String(file.dropLast(".safetensors".count)) : file
  }
}

/// Collects warnings from other threads.
private final class NoticeBox: @unchecked Sendable {
  private let lock = NSLock()
  private var notices: [String] = []
  func add(_ notice: String) { lock.withLock { notices.append(notice) } }
  var all: [String] { lock.withLock { notices } }
}
