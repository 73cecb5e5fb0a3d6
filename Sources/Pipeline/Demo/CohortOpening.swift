// CohortOpening: what the COHORT argument of `fgf analyze` and `fgf train` names: nothing or
// "demo" for the built-in synthetic demo cohort, otherwise a cohort directory (DESIGN §4).

import Common
import Imaging

public enum CohortOpening {
  /// The cohort `argument` names; `warnings` hears about rows skipped with `skipInvalid`.
  public static func open(_ argument: String?, skipInvalid: Bool = false,
                          warnings: ((String) -> Void)? = nil) throws(FileError) -> any CohortSource {
    guard let argument, argument != "demo" else { return SyntheticCohort.demo() }
    return try CohortDirectory(path: argument, skipInvalid: skipInvalid, warnings: warnings)
  }
}
