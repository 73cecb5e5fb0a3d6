// Choosing the ROI(s) that make the GTV mask: case-insensitive regular expressions tried in
// order; the first that matches any ROI with contours selects every ROI it matches (their masks
// are united). The default pattern matches primary-tumour GTV names and not nodal ones.

public struct ROISelector: Sendable {
  /// Primary GTV names: "GTV" optionally followed by P, T, PRIMARY (any word starting PRIM),
  /// TUMOR/TUMOUR or 1, separated by spaces, "_" or "-". Matches GTV, GTVp, GTV-T, GTV_primary,
  /// "GTV 1", GTV-P, "GTV primaire"; not GTVn, GTV-N1, "GTV nodal", "GTV 2", PTV, CTV, ITV.
  public static let defaultPattern = #"^\s*GTV(?:[\s_-]*(?:P|T|PRIM[A-Z]*|TUMOU?R|1))*\s*$"#

  public var patterns: [String]

  /// A selector trying `patterns` in order (the default pattern when empty); throws on an invalid pattern.
  public init(patterns: [String] = []) throws(ROIPatternError) {
    let chosen = patterns.isEmpty ? [ROISelector.defaultPattern] : patterns
    for pattern in chosen {
      do { _ = try Regex(pattern) } catch {
        throw ROIPatternError(pattern: pattern, reason: "\(error)")
      }
    }
    self.patterns = chosen
  }

  /// Whether `name` matches `pattern` (anywhere in the name unless anchored, ignoring case).
  public static func matches(_ name: String, pattern: String) -> Bool {
    guard let regex = try? Regex(pattern).ignoresCase() else { return false }
    return name.firstMatch(of: regex) != nil
  }

  /// The ROIs chosen from `rois` and the pattern that chose them; nil when no pattern matches an ROI with contours.
  public func select(_ rois: [RTROI]) -> (rois: [RTROI], pattern: String)? {
    for pattern in patterns {
      let chosen = rois.filter { !$0.contours.isEmpty && ROISelector.matches($0.name, pattern: pattern) }
      if !chosen.isEmpty { return (chosen, pattern) }
    }
    return nil
  }
}

/// A --roi pattern that is not a valid regular expression.
public struct ROIPatternError: Error, Sendable, CustomStringConvertible {
  public var pattern: String
  public var reason: String
  public var description: String { "--roi \"\(pattern)\" is not a valid regular expression: \(reason)" }
}
