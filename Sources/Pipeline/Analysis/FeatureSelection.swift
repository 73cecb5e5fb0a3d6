// FeatureSelection: the `--features a,b,…` list of `fgf analyze` and `fgf train`: catalogue names
// or whole families ("shape"), comma-separated, spaces ignored, in the order given.

import Engine
import Foundation

public enum FeatureSelection {
  /// The features `list` names (possibly none); every catalogue feature when `list` is nil.
  public static func parse(_ list: String?) throws(UnknownFeatureError) -> [FeatureDefinition] {
    guard let list else { return FeatureCatalog.all }
    let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    return try FeatureCatalog.select(names)
  }
}
