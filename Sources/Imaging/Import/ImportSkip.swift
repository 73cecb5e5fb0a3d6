// Why a patient was left out of an imported cohort: a category the report counts, and the details.

public struct ImportSkip: Error, Sendable, Equatable {
  public enum Category: String, Sendable, CaseIterable {
    case noStructureSet = "no RTSTRUCT"
    case noCT = "no CT series"
    case noMatchingROI = "no matching ROI"
    case unsupportedSyntax = "unsupported transfer syntax"
    case inconsistentSeries = "inconsistent CT series"
    case unreadable = "unreadable file"
    case mismatch = "contours do not fit the CT"
    case missingFile = "missing file"
    case emptyMask = "empty mask"
    case noLabel = "no usable label"
    case badSplit = "no usable split"
  }

  public var category: Category
  public var detail: String

  public init(_ category: Category, _ detail: String) {
    self.category = category
    self.detail = detail
  }

  /// "no matching ROI: ROIs are PTV, CTV".
  public var description: String { "\(category.rawValue): \(detail)" }
}
