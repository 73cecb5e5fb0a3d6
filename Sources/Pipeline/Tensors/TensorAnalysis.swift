// `fgf analyze --tensors`: runs a model over given inputs and collects the per-sample results in
// a TensorDump: `logit` [N] and `grad_x` [N, C, H, W] (∇ₓf). Further analyses append to the dump.

import Common
import Engine

public enum TensorAnalysis {
  /// Logits and input gradients of `model` on `inputs`, as a dump.
  public static func run(inputs: TensorInputs, model: Model, modelPath: String,
                         threads: Int = Parallelism.defaultThreads) throws(FileError) -> TensorDump {
    try inputs.check(against: model, modelPath: modelPath)
    let (logits, gradients) = model.logitsAndInputGradients(inputs.x, count: inputs.count, threads: threads)
    var dump = TensorDump(metadata: ["fgf.source": inputs.path, "fgf.model": modelPath])
    dump.add("logit", shape: [inputs.count], floats: logits)
    dump.add("grad_x", shape: [inputs.count] + inputs.sampleShape, floats: gradients)
    return dump
  }
}
