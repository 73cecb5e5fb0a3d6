// Format: numbers as the screen shows them (fixed decimals, compact p-values), without Foundation's
// locale-dependent formatting so that screens are identical everywhere.

package enum Format {
  /// `value` with `digits` decimals ("0.72"); "nan"/"inf" spelled out.
  package static func fixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
    if digits > 0 {
      let f = String(fraction)
      text += "." + String(repeating: "0", count: max(0, digits - f.count)) + f
    }
    return text
  }

  /// A p-value in at most 7 characters: "0.032", "4e-05", "<1e-99".
  package static func pValue(_ p: Double) -> String {
    guard p.isFinite else { return "nan" }
    if p >= 0.001 { return fixed(p, digits: 3) }
    if p <= 0 { return "0" }
    var exponent = 0
    var mantissa = p
    while mantissa < 1 { mantissa *= 10; exponent -= 1 }
    var leading = Int(mantissa.rounded())
    if leading == 10 { leading = 1; exponent += 1 }
    if exponent < -99 { return "<1e-99" }
    return "\(leading)e-" + (exponent > -10 ? "0" : "") + String(-exponent)
  }

  /// A value of any magnitude in about 8 characters: "0.412", "12.3", "1234.5", "1.23e+05".
  package static func general(_ value: Double) -> String {
    guard value.isFinite else { return fixed(value, digits: 0) }
    let magnitude = abs(value)
    if magnitude == 0 { return "0" }
    if magnitude >= 0.01 && magnitude < 100_000 {
      return fixed(value, digits: magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : 3)
    }
    var exponent = 0
    var mantissa = magnitude
    while mantissa >= 10 { mantissa /= 10; exponent += 1 }
    while mantissa < 1 { mantissa *= 10; exponent -= 1 }
    if (mantissa * 100).rounded() >= 1000 { mantissa /= 10; exponent += 1 }
    let digits = exponent < 0 ? String(-exponent) : String(exponent)
    return (value < 0 ? "-" : "") + fixed(mantissa, digits: 2) + "e" + (exponent < 0 ? "-" : "+")
      + (digits.count < 2 ? "0" : "") + digits
  }
}
