// JSONText: JSON laid out for people as well as programs: objects one member per line, indented,
// but any array or object whose compact form fits in `inline` characters kept on one line (a
// patient's feature row, a CI pair), so a report of many patients stays readable and compact.

import Common

enum JSONText {
  static func pretty(_ value: JSONValue, inline: Int = 100) -> String {
    var out = ""
    write(value, indent: "", inline: inline, into: &out)
    return out + "\n"
  }

  private static func write(_ value: JSONValue, indent: String, inline: Int, into out: inout String) {
    let compact = value.serialized
    switch value {
    case .array(let items) where compact.count > inline && !items.isEmpty:
      out += "[\n"
      for (i, item) in items.enumerated() {
        out += indent + "  "
        write(item, indent: indent + "  ", inline: inline, into: &out)
        out += i + 1 < items.count ? ",\n" : "\n"
      }
      out += indent + "]"
    case .object(let members) where compact.count > inline && !members.isEmpty:
      out += "{\n"
      for (i, member) in members.enumerated() {
        out += indent + "  " + JSONValue.quote(member.key) + ": "
        write(member.value, indent: indent + "  ", inline: inline, into: &out)
        out += i + 1 < members.count ? ",\n" : "\n"
      }
      out += indent + "}"
    default:
      out += compact
    }
  }
}
