// Tests of the label table (column choice, value parsing, id matching, errors) and of the
// seeded stratified split.
import Testing
import Common
import Imaging

@Suite struct ImportLabelTableTests {
  static func table(_ text: String, id: String? = nil, label: String = "label", split: String? = nil) throws -> LabelTable {
    let directory = try ScratchDirectory()
    let path = directory.path + "/t.csv"
    try FileIO.writeAtomically(Array(text.utf8), to: path)
    return try LabelTable(path: path, idColumn: id, labelColumn: label, splitColumn: split)
  }

  @Test func labelValues() {
    for (text, value) in [("1", 1), ("0", 0), ("1.0", 1), (" 0.0 ", 0), ("TRUE", 1), ("false", 0), ("Yes", 1), ("n", 0), ("M1", 1), ("m0", 0)] {
      #expect(LabelTable.parseLabel(text) == value, "\(text)")
    }
    for text in ["", "2", "0.5", "Mx", "unknown", "-1"] { #expect(LabelTable.parseLabel(text) == nil, "\(text)") }
    #expect(LabelTable.parseSplit("Training") == .train && LabelTable.parseSplit("VALID") == .val && LabelTable.parseSplit("testing") == .test)
    #expect(LabelTable.parseSplit("holdout") == nil)
  }

  @Test func columnsByNameAndIdsMatchedLoosely() throws {
    let table = try Self.table("Patient ID,Age, DM \nHN-CHUM-001,60,1\nhn_chum_002,70,0\n", label: "dm")
    #expect(table.idColumn == "Patient ID" && table.labelColumn == " DM ")
    #expect(table.extraColumns == ["Age"])
    #expect(try table.row(for: "HN-CHUM-001")?.label.get() == 1)
    #expect(try table.row(for: "HN-CHUM-002")?.label.get() == 0)          // case and "_" for "-"
    #expect(table.row(for: "HN-CHUM-003") == nil)
    #expect(table.unmatched(["HN-CHUM-002"]) == ["HN-CHUM-001"])
  }

  @Test func tableErrorsNameTheFileAndLine() throws {
    let missing = #expect(throws: FileError.self) { try Self.table("id,outcome\nA,1\n", label: "dm") }
    #expect(missing?.hint?.contains("id, outcome") == true)
    let duplicate = #expect(throws: FileError.self) { try Self.table("id,label\nA,1\nB,0\nA,0\n") }
    #expect(duplicate?.place == "line 4" && duplicate?.problem.contains("line 2") == true)
    let ragged = #expect(throws: FileError.self) { try Self.table("id,label\nA,1,extra\n") }
    #expect(ragged?.place == "line 2")
    #expect(throws: FileError.self) { try Self.table("id,label\nA,1\n", split: "fold") }
  }

  @Test func splitsAreStratifiedSeededAndOrderFree() {
    var labels: [String: Int] = [:]
    for i in 0..<50 { labels["P\(i)"] = 1 }
    for i in 50..<200 { labels["P\(i)"] = 0 }
    let splits = SplitAssignment.assign(labels: labels, seed: 7)
    for label in [0, 1] {
      let ids = labels.filter { $0.value == label }.map(\.key)
      let counts = Split.allCases.map { split in ids.filter { splits[$0] == split }.count }
      let n = Double(ids.count)
      #expect(counts == [Int((0.6 * n).rounded()), Int((0.2 * n).rounded()), ids.count - Int((0.6 * n).rounded()) - Int((0.2 * n).rounded())])
    }
    #expect(SplitAssignment.assign(labels: labels, seed: 7) == splits)
    #expect(SplitAssignment.assign(labels: labels, seed: 8) != splits)
    // The same patients listed in another order get the same splits.
    let reordered = Dictionary(uniqueKeysWithValues: labels.sorted { $0.key > $1.key }.map { ($0.key, $0.value) })
    #expect(SplitAssignment.assign(labels: reordered, seed: 7) == splits)
  }
}
