// Where the shipped assets (the demo models) are: the repository's Assets/ folder, found from
// this source file's location at build time (users build from a clone), or $FGF_ASSETS.

import Foundation

public enum AssetLocator {
  /// The directory holding fgf's assets.
  public static var directory: String {
    if let override = ProcessInfo.processInfo.environment["FGF_ASSETS"], !override.isEmpty {
      return override
    }
    // <repo>/Sources/Pipeline/AssetLocator.swift → <repo>/Assets
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Assets").path
  }

  /// Path of the asset named `name` (e.g. "model-A.safetensors").
  public static func path(_ name: String) -> String { directory + "/" + name }
}
