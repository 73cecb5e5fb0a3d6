// Transfer syntaxes (PS3.5 §10, Annex A): how a data set is encoded (VR implicit or explicit,
// byte order, deflate) and how its pixel data are stored (native, RLE, or a codec fgf lacks).

public struct DICOMTransferSyntax: Sendable, Equatable, CustomStringConvertible {
  /// How pixel data are stored.
  public enum PixelEncoding: Sendable, Equatable {
    case native
    case rle
    /// A compression fgf does not decode (JPEG, JPEG-LS, JPEG 2000, video, …).
    case unsupported
  }

  public var uid: String
  /// The standard's name, or "unknown transfer syntax".
  public var name: String
  public var explicitVR: Bool
  public var bigEndian: Bool
  /// The data set after the meta group is raw-deflate compressed.
  public var deflated: Bool
  public var pixels: PixelEncoding

  public var description: String { "\(name) (\(uid))" }

  public static let implicitLittle = DICOMTransferSyntax(
    uid: "1.2.840.10008.1.2", name: "Implicit VR Little Endian",
    explicitVR: false, bigEndian: false, deflated: false, pixels: .native)
  public static let explicitLittle = DICOMTransferSyntax(
    uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian",
    explicitVR: true, bigEndian: false, deflated: false, pixels: .native)
  public static let explicitBig = DICOMTransferSyntax(
    uid: "1.2.840.10008.1.2.2", name: "Explicit VR Big Endian",
    explicitVR: true, bigEndian: true, deflated: false, pixels: .native)
  public static let deflatedExplicitLittle = DICOMTransferSyntax(
    uid: "1.2.840.10008.1.2.1.99", name: "Deflated Explicit VR Little Endian",
    explicitVR: true, bigEndian: false, deflated: true, pixels: .native)
  public static let rleLossless = DICOMTransferSyntax(
    uid: "1.2.840.10008.1.2.5", name: "RLE Lossless",
    explicitVR: true, bigEndian: false, deflated: false, pixels: .rle)

  /// The transfer syntax of `uid`. Unknown UIDs are assumed Explicit VR Little Endian with pixel
  /// data fgf cannot decode (every encapsulated syntax is explicit little endian).
  public static func named(_ uid: String) -> DICOMTransferSyntax {
    for syntax in [implicitLittle, explicitLittle, explicitBig, deflatedExplicitLittle, rleLossless] where syntax.uid == uid {
      return syntax
    }
    return DICOMTransferSyntax(uid: uid, name: compressedNames[uid] ?? "unknown transfer syntax",
                               explicitVR: true, bigEndian: false, deflated: false, pixels: .unsupported)
  }

  /// Names of the encapsulated syntaxes fgf recognises but does not decode, for error messages.
  static let compressedNames: [String: String] = [
    "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
    "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
    "1.2.840.10008.1.2.4.57": "JPEG Lossless, Non-Hierarchical (Process 14)",
    "1.2.840.10008.1.2.4.70": "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
    "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
    "1.2.840.10008.1.2.4.81": "JPEG-LS Lossy (Near-Lossless)",
    "1.2.840.10008.1.2.4.90": "JPEG 2000 (Lossless Only)",
    "1.2.840.10008.1.2.4.91": "JPEG 2000",
    "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component (Lossless Only)",
    "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component",
    "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
    "1.2.840.10008.1.2.4.101": "MPEG2 Main Profile / High Level",
    "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile / Level 4.1",
    "1.2.840.10008.1.2.4.103": "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
    "1.2.840.10008.1.2.4.110": "JPEG XL Lossless",
    "1.2.840.10008.1.2.4.111": "JPEG XL JPEG Recompression",
    "1.2.840.10008.1.2.4.112": "JPEG XL",
    "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 (Lossless Only)",
    "1.2.840.10008.1.2.4.202": "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)",
    "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000",
    "1.2.840.10008.1.2.1.98": "Encapsulated Uncompressed Explicit VR Little Endian",
  ]
}
