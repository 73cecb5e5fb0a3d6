// Tests of the strict JSON parser and writer used for untrusted file headers.
import Testing
import Common

@Suite struct JSONValueTests {
  @Test func parsesNestedValuesAndKeepsNumberText() throws {
    let value = try JSONValue.parse(#" {"a": [1, -2.5e3, true, null], "b": {"c": "x\"y\u00e9\n"}} "#)
    #expect(value["a"]?.arrayValue?.count == 4)
    #expect(value["a"]?.arrayValue?[0].intValue == 1)
    #expect(value["a"]?.arrayValue?[1].intValue == nil)
    #expect(value["a"]?.arrayValue?[1].doubleValue == -2500)
    #expect(value["b"]?["c"]?.stringValue == "x\"yé\n")
  }

  @Test func surrogatePairsDecode() throws {
    #expect(try JSONValue.parse(#""\ud83d\ude00""#).stringValue == "😀")
  }

  @Test func serializedTextParsesBackToTheSameValue() throws {
    let value = JSONValue.object([("k", .array([.number(3), .string("a\u{01}\"\\"), .bool(false), .null]))])
    #expect(try JSONValue.parse(value.serialized) == value)
  }

  @Test(arguments: [
    "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "\"abc", "\"\\x\"", "tru", "{\"a\" 1}",
    "{\"a\":1}x", "\"\u{01}\"", "\"\\ud800\"", "\"\\udc00\"", "{\"a\":1,\"a\":2}", "[\"\\u12g4\"]",
  ])
  func rejectsMalformedText(_ text: String) {
    #expect(throws: JSONError.self) { try JSONValue.parse(text) }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: JSONError.self) { try JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]) }
  }

  @Test func boundsNestingDepth() throws {
    let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    #expect(throws: JSONError.self) { try JSONValue.parse(deep) }
    let fine = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
    #expect(throws: Never.self) { try JSONValue.parse(fine) }
  }

  @Test func hugeIntegerIsNotAnInt() throws {
    #expect(try JSONValue.parse("123456789012345678901234567890").intValue == nil)
  }
}
