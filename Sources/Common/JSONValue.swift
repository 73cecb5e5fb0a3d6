// JSONValue: a small, strict JSON parser and writer for headers of files fgf did not write.
// Strict and bounded (nesting depth, no trailing garbage) so hostile input yields an error, not
// a crash; numbers keep their text so integers are read exactly.

/// A parsed JSON value. Numbers keep their source text; use `intValue`/`doubleValue`.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSONValue])
  /// Members in file order (duplicate keys are rejected by the parser).
  case object([(key: String, value: JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case let (.bool(a), .bool(b)): return a == b
    case let (.number(a), .number(b)): return a == b
    case let (.string(a), .string(b)): return a == b
    case let (.array(a), .array(b)): return a == b
    case let (.object(a), .object(b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The member `key` of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    guard case let .object(members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
  public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
  public var objectValue: [(key: String, value: JSONValue)]? {
    if case let .object(o) = self { return o } else { return nil }
  }
  public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }

  /// An integer written without fraction or exponent that fits in Int, else nil.
  public var intValue: Int? {
    guard case let .number(text) = self, !text.contains(where: { ".eE".contains($0) }) else { return nil }
    return Int(text)
  }

  /// Any number as a Double, else nil.
  public var doubleValue: Double? {
    guard case let .number(text) = self else { return nil }
    return Double(text)
  }
}

/// Why a JSON text was rejected, with the byte offset where parsing stopped.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  public var offset: Int
  public var problem: String
  public var description: String { "invalid JSON at byte \(offset): \(problem)" }
}

extension JSONValue {
  /// Parses a complete JSON text (UTF-8). Nesting deeper than `maxDepth` is rejected.
  public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 64) throws(JSONError) -> JSONValue {
    var parser = JSONParser(bytes: Array(bytes), maxDepth: maxDepth)
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.position == parser.bytes.count else { throw parser.error("unexpected text after the value") }
    return value
  }

  public static func parse(_ text: String, maxDepth: Int = 64) throws(JSONError) -> JSONValue {
    try parse(Array(text.utf8), maxDepth: maxDepth)
  }

  /// Compact JSON text. Object members keep their order.
  public var serialized: String {
    switch self {
    case .null: return "null"
    case let .bool(b): return b ? "true" : "false"
    case let .number(text): return text
    case let .string(s): return JSONValue.quote(s)
    case let .array(items): return "[" + items.map(\.serialized).joined(separator: ",") + "]"
    case let .object(members):
      return "{" + members.map { JSONValue.quote($0.key) + ":" + $0.value.serialized }.joined(separator: ",") + "}"
    }
  }

  /// A JSON string literal for `s`, escaping quotes, backslashes and control characters.
  public static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// A number value from a Double (shortest round-trip text; non-finite values become null).
  public static func number(_ value: Double) -> JSONValue {
    value.isFinite ? .number("\(value)") : .null
  }

  public static func number(_ value: Int) -> JSONValue { .number(String(value)) }
}

private struct JSONParser {
  let bytes: [UInt8]
  let maxDepth: Int
  var position = 0

  init(bytes: [UInt8], maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  func error(_ problem: String) -> JSONError { JSONError(offset: position, problem: problem) }

  var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func skipSpace() {
    while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
  }

  mutating func expect(_ literal: String) throws(JSONError) {
    for byte in literal.utf8 {
      guard current == byte else { throw error("expected '\(literal)'") }
      position += 1
    }
  }

  mutating func value(depth: Int) throws(JSONError) -> JSONValue {
    guard depth <= maxDepth else { throw error("nested deeper than \(maxDepth) levels") }
    guard let c = current else { throw error("unexpected end of text") }
    switch c {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try expect("true"); return .bool(true)
    case UInt8(ascii: "f"): try expect("false"); return .bool(false)
    case UInt8(ascii: "n"): try expect("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw error("unexpected character")
    }
  }

  mutating func object(depth: Int) throws(JSONError) -> JSONValue {
    position += 1
    var members: [(key: String, value: JSONValue)] = []
    var seen = Set<String>()
    skipSpace()
    if current == UInt8(ascii: "}") { position += 1; return .object(members) }
    while true {
      skipSpace()
      guard current == UInt8(ascii: "\"") else { throw error("expected a member name") }
      let key = try string()
      guard seen.insert(key).inserted else { throw error("duplicate member \"\(key)\"") }
      skipSpace()
      try expect(":")
      skipSpace()
      members.append((key, try value(depth: depth + 1)))
      skipSpace()
      if current == UInt8(ascii: ",") { position += 1; continue }
      try expect("}")
      return .object(members)
    }
  }

  mutating func array(depth: Int) throws(JSONError) -> JSONValue {
    position += 1
    var items: [JSONValue] = []
    skipSpace()
    if current == UInt8(ascii: "]") { position += 1; return .array(items) }
    while true {
      skipSpace()
      items.append(try value(depth: depth + 1))
      skipSpace()
      if current == UInt8(ascii: ",") { position += 1; continue }
      try expect("]")
      return .array(items)
    }
  }

  mutating func number() throws(JSONError) -> String {
    let start = position
    if current == UInt8(ascii: "-") { position += 1 }
    guard let first = current, first >= 0x30, first <= 0x39 else { throw error("expected a digit") }
    if first == 0x30 { position += 1 } else { skipDigits() }
    if current == UInt8(ascii: ".") {
      position += 1
      guard let d = current, d >= 0x30, d <= 0x39 else { throw error("expected a digit after '.'") }
      skipDigits()
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard let d = current, d >= 0x30, d <= 0x39 else { throw error("expected a digit in the exponent") }
      skipDigits()
    }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  mutating func skipDigits() {
    while let c = current, c >= 0x30, c <= 0x39 { position += 1 }
  }

  mutating func string() throws(JSONError) -> String {
    position += 1
    var scalars = String.UnicodeScalarView()
    var runStart = position
    func flush(_ parser: JSONParser, _ scalars: inout String.UnicodeScalarView, _ from: Int) throws(JSONError) {
      guard from < parser.position else { return }
      var chunk = parser.bytes[from..<parser.position].makeIterator()
      var decoder = UTF8()
      while true {
        switch decoder.decode(&chunk) {
        case let .scalarValue(s): scalars.append(s)
        case .emptyInput: return
        case .error: throw JSONError(offset: from, problem: "invalid UTF-8 in a string")
        }
      }
    }
    while true {
      guard let c = current else { throw error("unterminated string") }
      if c == UInt8(ascii: "\"") {
        try flush(self, &scalars, runStart)
        position += 1
        return String(scalars)
      }
      if c < 0x20 { throw error("control character in a string") }
      if c != UInt8(ascii: "\\") { position += 1; continue }
      try flush(self, &scalars, runStart)
      position += 1
      guard let e = current else { throw error("unterminated escape") }
      position += 1
      switch e {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{08}")
      case UInt8(ascii: "f"): scalars.append("\u{0C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
          guard current == UInt8(ascii: "\\") else { throw error("lone high surrogate") }
          position += 1
          try expect("u")
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw error("bad low surrogate") }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(code) {
          throw error("lone low surrogate")
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("invalid code point") }
        scalars.append(scalar)
      default: throw error("invalid escape")
      }
      runStart = position
    }
  }

  mutating func hex4() throws(JSONError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let c = current else { throw error("short \\u escape") }
      let digit: UInt32
      switch c {
      case 0x30...0x39: digit = UInt32(c - 0x30)
      case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
      case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
      default: throw error("bad hex digit in \\u escape")
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }
}
