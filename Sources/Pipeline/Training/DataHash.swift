// DataHash: a fingerprint of the data a model was trained on (ids, labels, splits, slice
// thicknesses and every crop and mask value, bit for bit), recorded in the model file so that
// "trained on this cohort" can be checked. 64-bit FNV-1a over those bytes: an identity check,
// not a security measure.

import Imaging

struct DataHash {
  private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325
  private static let prime: UInt64 = 0x100_0000_01b3

  mutating func add<S: Sequence>(bytes: S) where S.Element == UInt8 {
    for byte in bytes {
      state ^= UInt64(byte)
      state = state &* Self.prime
    }
  }

  mutating func add(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { add(bytes: $0) }
  }

  mutating func add(_ text: String) {
    add(UInt64(text.utf8.count))
    add(bytes: text.utf8)
  }

  mutating func add(_ values: [Float]) {
    add(UInt64(values.count))
    values.withUnsafeBytes { raw in
      // Float bit patterns, little-endian on every platform fgf builds for.
      add(bytes: raw)
    }
  }

  /// "fnv1a64:" and 16 hex digits.
  var text: String {
    let hex = String(state, radix: 16)
    return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The hash of a set of samples in their order.
  static func of(_ samples: [AnalysisSample]) -> String {
    var hash = DataHash()
    hash.add(UInt64(samples.count))
    for sample in samples {
      hash.add(sample.id)
      hash.add(UInt64(bitPattern: Int64(sample.label ?? -1)))
      hash.add(sample.split?.rawValue ?? "")
      hash.add(sample.sliceThickness.bitPattern)
      hash.add(sample.x)
      hash.add(sample.mask ?? [])
    }
    return hash.text
  }
}

/// A fingerprint of a model's parameters (for the --init model recorded in fgf.training).
public enum ParameterHash {
  public static func of(_ parameters: [Float]) -> String {
    var hash = DataHash()
    hash.add(parameters)
    return hash.text
  }
}
