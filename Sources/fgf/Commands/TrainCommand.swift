// `fgf train --tensors IN … --out M2` (or `--dump-gradients G`): trains a model on given tensors
// (Pipeline.TensorTraining), printing one line per epoch; Ctrl-C stops after the current batch,
// keeping the last epoch's checkpoint.

import ArgumentParser
import Common
import Engine
import Foundation
import Pipeline

/// Set by SIGINT/SIGTERM; read after every batch.
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a model on given tensors, or dump the loss gradients at its initial weights.",
    discussion: """
      IN is a safetensors file with x [N,3,64,64] float32 and label [N] (0/1); optionally split [N]
      (0 train, 1 validation, 2 test; without it every sample trains) and directions
      [N,K,3,64,64] (penalty directions, needed for --lambda > 0). The loss is BCE with positive
      weight negatives/positives + λ·mean(1 − ‖P ∇ₓf‖²/‖∇ₓf‖²). The epoch with the best
      validation AUC is kept (the last epoch without validation). Threads: $FGF_THREADS.
      """)

  @Option(name: .customLong("tensors"), help: ArgumentHelp("Input tensors (safetensors).", valueName: "IN"))
  var tensorsPath: String

  @Option(name: .customLong("init"), help: ArgumentHelp("Initial model (default: a new FGF-CNN from --seed).", valueName: "M"))
  var initPath: String?

  @Option(help: "Activation of a new FGF-CNN: silu or relu.")
  var activation = "silu"

  @Option(help: "Epochs.")
  var epochs = 30

  @Option(help: "Seed of initialisation, shuffling and augmentation.")
  var seed: UInt64 = 0

  @Option(help: "Penalty strength λ.")
  var lambda = 0.0

  @Option(help: "Batch size.")
  var batchSize = 32

  @Option(help: "Adam learning rate.")
  var learningRate = 1e-3

  @Flag(help: "Turn off flip and shift augmentation.")
  var noAugment = false

  @Option(help: ArgumentHelp("Checkpoint file, saved after every epoch.", valueName: "C"))
  var checkpoint: String?

  @Flag(help: "Continue from --checkpoint.")
  var resume = false

  @Option(name: .customLong("out"), help: ArgumentHelp("Trained model file.", valueName: "M2"))
  var outPath: String?

  @Option(name: .customLong("dump-gradients"),
          help: ArgumentHelp("Instead of training, write the loss gradients at the initial weights.", valueName: "G"))
  var gradientsPath: String?

  func validate() throws {
    guard (outPath == nil) != (gradientsPath == nil) else { throw ValidationError("give exactly one of --out and --dump-gradients") }
    guard epochs >= 0 else { throw ValidationError("--epochs must be ≥ 0") }
    guard batchSize >= 1 else { throw ValidationError("--batch-size must be ≥ 1") }
    guard lambda >= 0, lambda.isFinite else { throw ValidationError("--lambda must be a finite number ≥ 0") }
    guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive") }
    guard ["silu", "relu"].contains(activation) else { throw ValidationError("--activation must be silu or relu") }
    if resume && checkpoint == nil { throw ValidationError("--resume needs --checkpoint") }
  }

  func run() throws {
    let inputs = try TensorInputs.read(tensorsPath)
    let model: Model
    let modelPath: String
    if let initPath {
      model = try Model.load(initPath)
      modelPath = initPath
    } else {
      model = try Model(architecture: .fgfCNN(activation: activation == "relu" ? .relu : .silu), seed: seed)
      modelPath = "a new FGF-CNN"
    }
    let threads = Parallelism.fromEnvironment
    if let gradientsPath {
      let dump = try TensorTraining.gradients(inputs: inputs, model: model, modelPath: modelPath, lambda: lambda, threads: threads)
      try dump.write(to: gradientsPath)
      print("wrote gradients of \(model.layout.entries.count) parameter tensors over \(inputs.count) samples to \(gradientsPath)")
      return
    }
    var request = TensorTrainingRequest()
    request.epochs = epochs; request.seed = seed; request.lambda = lambda; request.batchSize = batchSize
    request.learningRate = learningRate; request.augment = !noAugment; request.threads = threads
    signal(SIGINT) { _ in stopRequested = 1 }
    signal(SIGTERM) { _ in stopRequested = 1 }
    let outcome = try TensorTraining.train(
      inputs: inputs, model: model, modelPath: modelPath, request: request, checkpoint: checkpoint, resume: resume,
      onEpoch: { report in
        let auc = report.validationAUC.map { String(format: "%.4f", $0) } ?? "—"
        print(String(format: "epoch %3d  loss %.5f  bce %.5f  penalty %.5f  val AUC ", report.epoch, report.loss,
                     report.crossEntropy, report.penalty) + auc + (report.isBest ? "  best" : ""))
        fflush(nil)  // all streams: progress shows up promptly when piped
      },
      isCancelled: { stopRequested != 0 })
    guard let outPath else { return }
    try outcome.model.save(to: outPath)
    let best = outcome.bestEpoch.map { "epoch \($0)" } ?? "the initial weights"
    if outcome.cancelled {
      print("interrupted; saved \(best) to \(outPath)" + (checkpoint.map { "; continue with --checkpoint \($0) --resume" } ?? ""))
    } else {
      print("saved \(best) to \(outPath)")
    }
  }
}
