// `fgf analyze --tensors IN --model M --dump OUT`: logits and input gradients of a model on given
// tensors (Pipeline.TensorAnalysis), written as a safetensors dump.

import ArgumentParser
import Common
import Engine
import Pipeline

struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Run a model on given tensors and dump logits and input gradients.",
    discussion: """
      IN is a safetensors file with x [N,3,64,64] float32 (optionally mask and label). OUT receives
      logit [N] and grad_x [N,3,64,64] (the gradient of the logit with respect to x).
      Threads: $FGF_THREADS (default: all cores).
      """)

  @Option(name: .customLong("tensors"), help: ArgumentHelp("Input tensors (safetensors).", valueName: "IN"))
  var tensorsPath: String

  @Option(name: .customLong("model"), help: ArgumentHelp("Model file (safetensors).", valueName: "M"))
  var modelPath: String

  @Option(name: .customLong("dump"), help: ArgumentHelp("Output tensors (safetensors).", valueName: "OUT"))
  var dumpPath: String

  func run() throws {
    let model = try Model.load(modelPath)
    let inputs = try TensorInputs.read(tensorsPath)
    let dump = try TensorAnalysis.run(inputs: inputs, model: model, modelPath: modelPath, threads: Parallelism.fromEnvironment)
    try dump.write(to: dumpPath)
    print("wrote \(dump.names.joined(separator: ", ")) for \(inputs.count) samples to \(dumpPath)")
  }
}
