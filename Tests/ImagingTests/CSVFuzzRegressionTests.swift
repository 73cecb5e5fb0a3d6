// Regression tests for what the `cohort-csv` fuzz target found (Docs/FUZZING.md): CSV.encode must
// write text that CSV.parse reads back to the same fields, whatever Unicode the fields hold.

import Common
import Imaging
import Testing

@Suite struct CSVFuzzRegressionTests {
  /// Found by the acceptance run: a field holding a quote followed by a combining mark (U+0611).
  /// The encoder doubled quotes Character by Character, and `"` + U+0611 is one Character that is
  /// not a quote, so the quote went undoubled and the text no longer parsed to the same fields.
  @Test func aQuoteBeforeACombiningMarkIsDoubled() throws {
    let rows = [["id", "note"], ["P1", "x\"\u{0611}y"], ["P2", "\"\u{0301}"], ["P3", "a\"\u{200D}\u{1F600}"]]
    let text = CSV.encode(rows)
    #expect(text.contains("x\"\"\u{0611}y"))
    #expect(try CSV.parse(text, path: "encoded.csv") == rows)
    let found = try #require(fuzzInputs("cohort-csv").first { $0.name.hasSuffix("/quote-before-combining-mark") })
    let records = try CSV.records(found.bytes, path: found.name).map(\.fields)
    #expect(try CSV.parse(CSV.encode(records), path: "again.csv") == records)
  }

  /// Found while fixing the above: a first field starting with U+FEFF was written bare, and at the
  /// start of a file the parser takes those bytes for a byte-order mark and drops them.
  @Test func aLeadingZeroWidthNoBreakSpaceSurvives() throws {
    let rows = [["\u{FEFF}a", "b"], ["\u{FEFF}", "c"]]
    let text = CSV.encode(rows)
    #expect(text.hasPrefix("\"\u{FEFF}a\""))
    #expect(try CSV.parse(text, path: "encoded.csv") == rows)
    let found = try #require(fuzzInputs("cohort-csv").first { $0.name.hasSuffix("/bom-in-first-field-of-a-row") })
    let records = try CSV.records(found.bytes, path: found.name).map(\.fields)
    #expect(records == [["\u{FEFF}a", "b"]])
    #expect(try CSV.parse(CSV.encode(records), path: "again.csv") == records)
  }
}
