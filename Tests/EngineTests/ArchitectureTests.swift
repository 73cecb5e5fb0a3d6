// Architectures as data: the FGF-CNN JSON, round trips, and rejection of invalid layer lists.

import Testing
import Engine

@Suite struct ArchitectureTests {
  @Test func fgfCNNJSON() throws {
    let json = Architecture.fgfCNN().json
    #expect(json.hasPrefix(#"{"input":[3,64,64],"layers":[{"type":"conv2d","name":"conv1","in":3,"out":16,"kernel":3,"padding":1},{"type":"silu"},{"type":"maxpool2d","size":2}"#))
    #expect(json.hasSuffix(#"{"type":"global_avg_pool"},{"type":"linear","name":"fc","in":64,"out":1}]}"#))
    #expect(try Architecture(json: json) == .fgfCNN())
    let shapes = try Architecture.fgfCNN().shapes()
    #expect(shapes.map(\.elementCount) == [12288, 65536, 65536, 16384, 32768, 32768, 8192, 16384, 16384, 4096, 64, 1])
    #expect(Architecture.fgfCNN(activation: .relu).json.contains("relu"))
  }

  @Test(arguments: [
    (#"{"input":[3,64,64],"layers":[]}"#, "need 1"),
    (#"{"input":[3,64],"layers":[]}"#, "[channels, height, width]"),
    (#"{"input":[3,8,8],"layers":[{"type":"conv2d","name":"c","in":4,"out":1,"kernel":3,"padding":1}]}"#, "takes 4 channels"),
    (#"{"input":[3,8,8],"layers":[{"type":"conv2d","name":"c","in":3,"out":1,"kernel":2,"padding":1}]}"#, "must be odd"),
    (#"{"input":[3,8,8],"layers":[{"type":"linear","name":"fc","in":3,"out":1}]}"#, "needs a vector"),
    (#"{"input":[3,8,8],"layers":[{"type":"global_avg_pool"},{"type":"linear","name":"fc","in":3,"out":2}]}"#, "one logit"),
    (#"{"input":[3,8,8],"layers":[{"type":"global_avg_pool"},{"type":"linear","name":"a.b","in":3,"out":1}]}"#, "without"),
    (#"{"input":[3,8,8],"layers":[{"type":"maxpool2d","size":16}]}"#, "does not fit"),
    (#"{"input":[3,8,8],"layers":[{"type":"silu","extra":1}]}"#, "unexpected key"),
    (#"{"input":[3,100000,100000],"layers":[{"type":"silu"}]}"#, "outside"),
  ])
  func rejectsInvalid(json: String, fragment: String) {
    do {
      _ = try Architecture(json: json)
      Issue.record("accepted \(json)")
    } catch {
      #expect(error.description.contains(fragment), "\(error.description)")
    }
  }
}
