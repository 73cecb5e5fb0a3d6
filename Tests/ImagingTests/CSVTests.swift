// Tests of the RFC 4180 CSV parser and encoder: quoting, line ends, byte-order mark, blank lines,
// errors with their line numbers, and encode → parse round trips.
import Testing
import Common
import Imaging

@Suite struct CSVTests {
  func records(_ text: String) throws -> [CSV.Record] { try CSV.records(Array(text.utf8), path: "t.csv") }

  @Test func plainRowsWithLFOrCRLF() throws {
    #expect(try CSV.parse("a,b\n1,2\n", path: "t.csv") == [["a", "b"], ["1", "2"]])
    #expect(try CSV.parse("a,b\r\n1,2", path: "t.csv") == [["a", "b"], ["1", "2"]])
    #expect(try CSV.parse("a,b\r1,2\r", path: "t.csv") == [["a", "b"], ["1", "2"]])
    #expect(try CSV.parse("", path: "t.csv") == [])
  }

  @Test func emptyFieldsAreKept() throws {
    #expect(try CSV.parse("a,,\n,b,\n", path: "t.csv") == [["a", "", ""], ["", "b", ""]])
    #expect(try CSV.parse("\"\"\n", path: "t.csv") == [[""]])
  }

  @Test func byteOrderMarkIsSkipped() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("patient_id,x\nA,1\n".utf8)
    #expect(try CSV.records(bytes, path: "t.csv").map(\.fields) == [["patient_id", "x"], ["A", "1"]])
  }

  @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
    let text = "id,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\r\n4,\"crlf\r\ninside\"\n5,\"\"\n"
    let parsed = try records(text)
    #expect(parsed.map(\.fields) == [["id", "note"], ["1", "a, b"], ["2", "say \"hi\""], ["3", "two\nlines"],
                                     ["4", "crlf\r\ninside"], ["5", ""]])
    // Line numbers count the line breaks inside quoted fields.
    #expect(parsed.map(\.line) == [1, 2, 3, 4, 6, 8])
  }

  @Test func blankLinesAreSkippedButCounted() throws {
    let parsed = try records("a\n\n\nb\r\n\r\nc")
    #expect(parsed.map(\.fields) == [["a"], ["b"], ["c"]])
    #expect(parsed.map(\.line) == [1, 4, 6])
  }

  @Test func unicodeIsKept() throws {
    #expect(try CSV.parse("name,città\nJosé,Zürich 東京\n", path: "t.csv") == [["name", "città"], ["José", "Zürich 東京"]])
  }

  func failure(_ bytes: [UInt8]) -> FileError? {
    do { _ = try CSV.records(bytes, path: "t.csv"); return nil } catch { return error }
  }

  @Test func unclosedQuoteNamesTheLineItOpensOn() {
    let error = failure(Array("a,b\n1,\"open\n\n2,3\n".utf8))
    #expect(error?.path == "t.csv")
    #expect(error?.place == "line 2")
    #expect(error?.problem.contains("never closed") == true)
  }

  @Test func quoteInsideUnquotedFieldIsAnError() {
    let error = failure(Array("a,b\n1,2\n3,ab\"c\n".utf8))
    #expect(error?.place == "line 3")
    #expect(error?.problem.contains("quote inside an unquoted field") == true)
  }

  @Test func textAfterClosingQuoteIsAnError() {
    let error = failure(Array("a\n\"x\ny\"z\n".utf8))
    #expect(error?.place == "line 3")
    #expect(error?.problem.contains("after the closing quote") == true)
  }

  @Test func invalidUTF8IsAnErrorWithItsLine() {
    let error = failure(Array("a,b\n1,2\n3,".utf8) + [0xC3, 0x28] + Array("\n".utf8))
    #expect(error?.place == "line 3")
    #expect(error?.problem.contains("UTF-8") == true)
  }

  @Test func encoderQuotesOnlyWhereNeeded() {
    #expect(CSV.encode([["a", "b c", "d,e"], ["q\"r", "x\ny", ""]]) == "a,b c,\"d,e\"\n\"q\"\"r\",\"x\ny\",\n")
    #expect(CSV.encode([[""], ["", ""]]) == "\"\"\n,\n")
    #expect(CSV.encode([["cr\rhere"]]) == "\"cr\rhere\"\n")
  }

  @Test func encodeThenParseGivesTheRowsBack() throws {
    let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r", "\r\n", "é", "東", "\t"]
    var random = SeededRandom(seed: 4180)
    for _ in 0..<200 {
      let width = 1 + random.index(4)
      let rows = (0..<(1 + random.index(5))).map { _ in
        (0..<width).map { _ in (0..<random.index(6)).map { _ in alphabet[random.index(alphabet.count)] }.joined() }
      }
      #expect(try CSV.parse(CSV.encode(rows), path: "t.csv") == rows)
    }
  }
}
