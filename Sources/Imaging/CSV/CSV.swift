// CSV: RFC 4180 comma-separated values, as cohort.csv uses. The parser accepts quoted fields with
// doubled quotes, embedded commas and line breaks, CRLF or LF line ends and a UTF-8 byte-order
// mark, and reports problems with the line they are on; the encoder quotes only where needed.

import Common

public enum CSV {
  /// One record and the 1-based line of the text it starts on.
  public struct Record: Sendable, Equatable {
    public var fields: [String]
    public var line: Int
    public init(fields: [String], line: Int) { self.fields = fields; self.line = line }
  }

  /// Parses `text` into rows of fields. `path` names the text in errors.
  public static func parse(_ text: String, path: String) throws(FileError) -> [[String]] {
    try records(Array(text.utf8), path: path).map(\.fields)
  }

  /// Parses UTF-8 `bytes` (a leading byte-order mark is skipped) into records with their line
  /// numbers. Lines with no characters at all are skipped (a hand-edited file often ends with a
  /// few); a record of one empty field is written `""`, which `encode` does.
  public static func records(_ bytes: [UInt8], path: String) throws(FileError) -> [Record] {
    var parser = Parser(bytes: bytes, path: path)
    return try parser.run()
  }

  /// Encodes `rows` with `\n` line ends, each line (the last included) ending in one. A field is
  /// quoted when it holds a comma, a quote, CR or LF, or is the only field of its row and empty
  /// (so that the row is not read back as a blank line); quotes inside are doubled.
  public static func encode(_ rows: [[String]]) -> String {
    var out = ""
    for row in rows {
      for (i, field) in row.enumerated() {
        if i > 0 { out += "," }
        out += quoted(field, alone: row.count == 1)
      }
      out += "\n"
    }
    return out
  }

  static func quoted(_ field: String, alone: Bool) -> String {
    // A field starting with U+FEFF is quoted too: at the start of a file the parser would take
    // those bytes for a byte-order mark and drop them.
    let special = field.utf8.contains { $0 == comma || $0 == quote || $0 == cr || $0 == lf }
      || field.utf8.starts(with: [0xEF, 0xBB, 0xBF])
    if !special && !(alone && field.isEmpty) { return field }
    // Byte by byte, not by Character: a quote followed by a combining mark is one Character
    // that is not "\"", and its quote would go undoubled.
    var out: [UInt8] = [quote]
    for byte in field.utf8 {
      out.append(byte)
      if byte == quote { out.append(quote) }
    }
    out.append(quote)
    return String(decoding: out, as: UTF8.self)
  }

  static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

  /// A single pass over the bytes. Only ASCII bytes are structural, so working on UTF-8 bytes is
  /// safe; each field is validated as UTF-8 when it is closed.
  struct Parser {
    let bytes: [UInt8]
    let path: String
    var position = 0
    var line = 1

    init(bytes: [UInt8], path: String) {
      self.bytes = bytes
      self.path = path
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    func fail(_ line: Int, _ problem: String, hint: String? = nil) -> FileError {
      FileError(path: path, place: "line \(line)", problem: problem, hint: hint)
    }

    /// Consumes a line end (CRLF, LF or a lone CR) at `position` if there is one.
    mutating func skipLineEnd() -> Bool {
      guard position < bytes.count else { return false }
      if bytes[position] == CSV.lf { position += 1; line += 1; return true }
      if bytes[position] == CSV.cr {
        position += 1
        if position < bytes.count && bytes[position] == CSV.lf { position += 1 }
        line += 1
        return true
      }
      return false
    }

    mutating func run() throws(FileError) -> [Record] {
      var records: [Record] = []
      while position < bytes.count {
        if skipLineEnd() { continue }  // a blank line
        let start = line
        var fields: [String] = []
        while true {
          fields.append(try field())
          if position < bytes.count && bytes[position] == CSV.comma {
            position += 1
            continue
          }
          _ = skipLineEnd()  // or the end of the text
          break
        }
        records.append(Record(fields: fields, line: start))
      }
      return records
    }

    /// One field, leaving `position` on the comma, line end or end of text after it.
    mutating func field() throws(FileError) -> String {
      guard position < bytes.count, bytes[position] == CSV.quote else {
        let begin = position
        while position < bytes.count {
          let byte = bytes[position]
          if byte == CSV.comma || byte == CSV.lf || byte == CSV.cr { break }
          if byte == CSV.quote {
            throw fail(line, "a quote inside an unquoted field",
                       hint: "a field that holds a quote must be enclosed in quotes, with the inner quote doubled (\"\")")
          }
          position += 1
        }
        return try text(bytes[begin..<position], line: line)
      }
      let opened = line
      position += 1
      var content: [UInt8] = []
      while true {
        guard position < bytes.count else {
          throw fail(opened, "a quoted field is never closed", hint: "a quote is missing, or a quote inside the field is not doubled")
        }
        let byte = bytes[position]
        if byte == CSV.quote {
          if position + 1 < bytes.count && bytes[position + 1] == CSV.quote {
            content.append(CSV.quote)
            position += 2
            continue
          }
          position += 1
          break
        }
        if byte == CSV.lf || (byte == CSV.cr && !(position + 1 < bytes.count && bytes[position + 1] == CSV.lf)) {
          line += 1
        }
        content.append(byte)
        position += 1
      }
      if position < bytes.count {
        let next = bytes[position]
        guard next == CSV.comma || next == CSV.lf || next == CSV.cr else {
          throw fail(line, "text after the closing quote of a field",
                     hint: "a quote inside a quoted field must be doubled (\"\")")
        }
      }
      return try text(content[...], line: opened)
    }

    func text(_ slice: ArraySlice<UInt8>, line: Int) throws(FileError) -> String {
      guard let string = String(validating: slice, as: UTF8.self) else {
        throw fail(line, "the text is not valid UTF-8", hint: "save the file as UTF-8")
      }
      return string
    }
  }
}
