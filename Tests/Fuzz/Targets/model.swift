// Fuzz target `model`: the model file reader (Model.decode: safetensors container, fgf.arch
// layer list, parameter names, dtypes and shapes) on any bytes. A model it accepts must encode
// to a file that decodes to the same architecture, parameters and metadata.

import Common
import Engine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = fuzzBytes(data, size)
  guard let model = try? Model.decode(bytes, path: "input.safetensors") else { return 0 }
  require(model.parameters.count == model.layout.count, "parameter count differs from the layout")
  guard let again = try? Model.decode(model.encoded(), path: "rewritten.safetensors") else {
    require(false, "the re-encoded model is refused")
    return 0
  }
  require(again.architecture == model.architecture, "architecture changed in the round trip")
  require(again.parameters.elementsEqual(model.parameters) { $0.bitPattern == $1.bitPattern }, "parameters changed in the round trip")
  var metadata = model.metadata
  metadata[Model.architectureKey] = model.architecture.json
  require(again.metadata == metadata, "metadata changed in the round trip")
  return 0
}
