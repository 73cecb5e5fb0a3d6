// NumberText: how numbers are written in fgf's readable tables: fixed decimals for figures in
// [0, 1]-ish ranges, p-values in scientific notation when small, "—" for a value that is undefined.

import Foundation

enum NumberText {
  static let missing = "—"

  /// `value` with `decimals` decimals, or "—".
  static func fixed(_ value: Double?, _ decimals: Int = 4) -> String {
    guard let value, value.isFinite else { return missing }
    return String(format: "%.\(decimals)f", value)
  }

  /// A p-value: 4 decimals down to 0.001, then 2 significant digits in scientific notation.
  static func pValue(_ value: Double?) -> String {
    guard let value, value.isFinite else { return missing }
    if value >= 0.001 { return String(format: "%.4f", value) }
    if value == 0 { return "0" }
    return String(format: "%.1e", value)
  }

  /// A ratio: 2 decimals below 100, whole numbers above.
  static func ratio(_ value: Double?) -> String {
    guard let value, value.isFinite else { return missing }
    return value < 100 ? String(format: "%.2f", value) : String(format: "%.0f", value)
  }
}
