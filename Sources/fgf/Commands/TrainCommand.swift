// `fgf train`: trains an FGF-CNN on a cohort (or given tensors) with the alignment penalty on a
// chosen feature set (Pipeline.TrainingRun), printing a line per epoch (and a progress bar on a
// terminal); or, with --tensors and --dump-gradients, writes the loss gradients at the initial
// weights. Ctrl-C (or SIGTERM, SIGHUP) stops after the current batch and keeps the checkpoint of
// the last complete epoch; --resume continues it bit-identically.

import ArgumentParser
import Common
import Engine
import Foundation
import Imaging
import Pipeline

/// Set by SIGINT/SIGTERM/SIGHUP; read after every batch.
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a model whose input gradient aligns with chosen features.",
    discussion: """
      COHORT is a cohort directory or "demo" (the default). The loss is BCE with
      positive weight negatives/positives of the train split, plus λ·mean(1 − ‖P_S
      ∇ₓf‖²/‖∇ₓf‖²), P_S the projection onto the gradients of the --features S on each
      training crop (exact second-order gradients). The train split trains, the epoch
      with the best validation AUC is kept, and the test split is reported; settings,
      S, a hash of the data and the metrics go into the model file's metadata. A
      checkpoint (OUT.checkpoint unless --checkpoint) is saved after every epoch and
      removed at the end; after Ctrl-C, run the same command with --resume to
      continue.

      With --tensors IN: x [N,3,64,64], label [N], optionally mask (needed for
      --features), split [N] (0 train, 1 val, 2 test; without it every sample trains)
      and directions [N,K,3,64,64] (penalty directions used when no --features are
      chosen). --dump-gradients G writes the parameter gradients of the loss over all
      of IN at the initial weights instead of training. Threads: $FGF_THREADS
      (default: all cores); results do not depend on it.
      """)

  @Argument(help: ArgumentHelp("Cohort directory, or \"demo\" (default).", valueName: "COHORT"))
  var cohort: String?

  @Option(name: .customLong("tensors"), help: ArgumentHelp("Train on the samples of this safetensors file instead.", valueName: "IN"))
  var tensorsPath: String?

  @Option(help: ArgumentHelp("Penalty strength λ (0: no penalty).", valueName: "L"))
  var lambda = 0.0

  @Option(help: ArgumentHelp("The feature set S, comma-separated names or families.", valueName: "a,b,…"))
  var features: String?

  @Option(help: "Epochs.")
  var epochs = 30

  @Option(help: "Seed of initialisation, shuffling and augmentation.")
  var seed: UInt64 = 0

  @Option(name: .customLong("init"), help: ArgumentHelp("Start from this model (default: a new FGF-CNN from --seed).", valueName: "M"))
  var initPath: String?

  @Option(help: "Activation of a new FGF-CNN: silu or relu.")
  var activation = "silu"

  @Option(help: "Batch size.")
  var batchSize = 32

  @Option(help: "Adam learning rate.")
  var learningRate = 1e-3

  @Option(help: ArgumentHelp("Learning-rate schedule: constant, or cosine (annealed to 0 over the run).",
                             valueName: "constant|cosine"))
  var schedule = "constant"

  @Option(help: ArgumentHelp("Keep a moving average of the weights with this decay per step (e.g. 0.98; 0: none); "
                               + "the average is what is validated, kept and saved.", valueName: "D"))
  var weightAverage = 0.0

  @Flag(help: "Turn off flip and shift augmentation.")
  var noAugment = false

  @Option(help: ArgumentHelp("Keep only epochs whose validation alignment on S is at least G × the starting "
                               + "model's (the best validation AUC among them). Needs --features.", valueName: "G"))
  var minAlignmentGain: Double?

  @Flag(help: "Also augment by random quarter turns (with the flip, all 8 symmetries of the square).")
  var rotate = false

  @Option(help: "Largest augmentation shift in pixels.")
  var maxShift = 4

  @Option(help: ArgumentHelp("Checkpoint file (default: OUT.checkpoint).", valueName: "C"))
  var checkpoint: String?

  @Flag(help: "Continue the interrupted run saved in the checkpoint.")
  var resume = false

  @Flag(help: "Leave out patients whose crop cannot be made instead of stopping.")
  var skipInvalid = false

  @Option(name: .customLong("out"), help: ArgumentHelp("Trained model file.", valueName: "OUT"))
  var outPath: String?

  @Option(name: .customLong("dump-gradients"),
          help: ArgumentHelp("With --tensors: write the loss gradients at the initial weights instead of training.", valueName: "G"))
  var gradientsPath: String?

  func validate() throws {
    guard (outPath == nil) != (gradientsPath == nil) else { throw ValidationError("give exactly one of --out and --dump-gradients") }
    if gradientsPath != nil && tensorsPath == nil { throw ValidationError("--dump-gradients works with --tensors") }
    if tensorsPath != nil && cohort != nil { throw ValidationError("give a COHORT or --tensors, not both") }
    guard epochs >= 0 else { throw ValidationError("--epochs must be ≥ 0") }
    guard batchSize >= 1 else { throw ValidationError("--batch-size must be ≥ 1") }
    guard maxShift >= 0 && maxShift < 32 else { throw ValidationError("--max-shift must be between 0 and 31") }
    guard lambda >= 0, lambda.isFinite else { throw ValidationError("--lambda must be a finite number ≥ 0") }
    guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive") }
    guard LearningRateSchedule(rawValue: schedule) != nil else { throw ValidationError("--schedule must be constant or cosine") }
    if let minAlignmentGain {
      guard minAlignmentGain > 0, minAlignmentGain.isFinite else { throw ValidationError("--min-alignment-gain must be positive") }
      guard features != nil else { throw ValidationError("--min-alignment-gain needs --features (the set S whose alignment is measured)") }
    }
    guard weightAverage >= 0 && weightAverage < 1 else { throw ValidationError("--weight-average must be ≥ 0 and < 1") }
    guard ["silu", "relu"].contains(activation) else { throw ValidationError("--activation must be silu or relu") }
    if lambda > 0 && features == nil && tensorsPath == nil {
      throw ValidationError("--lambda > 0 needs --features (the feature set S the gradient should align with)")
    }
  }

  func run() throws {
    let chosen: [FeatureDefinition]
    do { chosen = features == nil ? [] : try FeatureSelection.parse(features) } catch { throw ValidationError("--features: \(error)") }
    if features != nil && chosen.isEmpty { throw ValidationError("--features names no feature") }
    let (model, initial) = try initialModel()
    let threads = Parallelism.fromEnvironment
    if let gradientsPath, let tensorsPath {
      let inputs = try TensorInputs.read(tensorsPath)
      let dump = try TensorTraining.gradients(inputs: inputs, model: model, modelPath: initPath ?? "a new FGF-CNN",
                                              lambda: lambda, features: chosen, threads: threads)
      try dump.write(to: gradientsPath)
      print("wrote gradients of \(model.layout.entries.count) parameter tensors over \(inputs.count) samples to \(gradientsPath)")
      return
    }
    guard let outPath else { return }
    let checkpointPath = checkpoint ?? outPath + ".checkpoint"
    if resume && !FileManager.default.fileExists(atPath: checkpointPath) {
      throw ValidationError("--resume: no checkpoint at \(checkpointPath)")
    }
    let progress = ProgressLine()
    installStopHandlers()

    let data: TrainingData
    var preprocess: String? = nil
    if let tensorsPath {
      let inputs = try TensorInputs.read(tensorsPath)
      try inputs.check(against: model, modelPath: initPath ?? "a new FGF-CNN")
      data = try TensorTraining.data(inputs, features: chosen, lambda: lambda, threads: threads)
    } else {
      let source = try CohortOpening.open(cohort, skipInvalid: skipInvalid, warnings: { progress.clear(); warn($0) })
      let crops = CropStore(cohort: source, warnings: { message in progress.clear(); warn(message) })
      guard let inputs = try AnalysisInputs.load(crops: crops, selection: .all, skipInvalid: skipInvalid,
                                                 progress: { done, total in progress.update("crops", done: done, total: total) },
                                                 isCancelled: { stopRequested != 0 })
      else {
        progress.clear()
        print("interrupted while preparing the crops; nothing trained")
        throw ExitCode(130)
      }
      for excluded in inputs.excluded { progress.clear(); warn("left out \(excluded.id): \(excluded.reason)") }
      data = try TrainingData.prepare(inputs, features: chosen, threads: threads)
      preprocess = Preprocessor.parametersJSON
    }
    progress.clear()
    printPlan(data)

    var request = TrainingRequest()
    request.epochs = epochs; request.seed = seed; request.lambda = lambda; request.batchSize = batchSize
    request.learningRate = learningRate; request.augment = !noAugment; request.maxShift = maxShift; request.threads = threads
    request.schedule = LearningRateSchedule(rawValue: schedule) ?? .constant
    request.weightAverage = weightAverage
    request.rotate = rotate
    request.minimumAlignmentGain = minAlignmentGain
    var lastValidation: SplitEvaluation? = nil
    let outcome = try TrainingRun.run(
      model: model, initial: initial, data: data, request: request, checkpoint: checkpointPath, resume: resume,
      preprocess: preprocess,
      onBatch: { report in
        var detail = "epoch \(report.epoch)/\(epochs)  loss \(String(format: "%.4f", report.loss))"
        if let auc = lastValidation?.auc { detail += "  val AUC \(String(format: "%.3f", auc))" }
        if let alignment = lastValidation?.subspaceAlignment { detail += "  align S \(String(format: "%.3f", alignment))" }
        progress.update("batch", done: report.batch + 1, total: report.batches, detail: detail)
      },
      onEpoch: { epoch in
        lastValidation = epoch.validation
        progress.clear()
        print(epochLine(epoch))
        fflush(nil)  // all streams: epoch lines show up promptly when piped
      },
      isCancelled: { stopRequested != 0 })
    progress.clear()
    if outcome.cancelled {
      let resumeCommand = (CommandLine.arguments.contains("--resume") ? CommandLine.arguments : CommandLine.arguments + ["--resume"])
        .map(shellQuoted).joined(separator: " ")
      print("interrupted after \(outcome.completedEpochs) complete epoch\(outcome.completedEpochs == 1 ? "" : "s"); "
        + "the checkpoint \(checkpointPath) holds them. Continue with:\n  \(resumeCommand)")
      throw ExitCode(130)
    }
    if let notReached = outcome.floorNotReached {
      warn("\(notReached) Nothing was saved; the checkpoint \(checkpointPath) holds the run.")
      throw ExitCode(1)
    }
    try outcome.model.save(to: outPath)
    try? FileManager.default.removeItem(atPath: checkpointPath)
    printSummary(outcome, outPath: outPath)
  }

  /// The starting model and its description for fgf.training.
  func initialModel() throws -> (Model, JSONValue) {
    if let initPath {
      let model = try Model.load(initPath)
      return (model, .object([("file", .string((initPath as NSString).lastPathComponent)),
                              ("parameters_hash", .string(ParameterHash.of(model.parameters)))]))
    }
    let architecture = Architecture.fgfCNN(activation: activation == "relu" ? .relu : .silu)
    return (try Model(architecture: architecture, seed: seed),
            .object([("architecture", .string("FGF-CNN")), ("activation", .string(activation)), ("seed", .number(String(seed)))]))
  }

  func printPlan(_ data: TrainingData) {
    var line = "training on \(data.source): \(data.train.count) train, \(data.validation.count) val, \(data.test.count) test"
    line += data.features.isEmpty ? "" : "; S = \(data.features.joined(separator: ", "))"
    line += "; λ = \(lambda); \(epochs) epochs, seed \(seed)"
    print(line)
    if !data.omittedDirections.isEmpty {
      print("directions left out (feature undefined on the crop): "
        + data.omittedDirections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        + (data.withoutDirections > 0 ? "; \(data.withoutDirections) training samples have none" : ""))
    }
  }

  func printSummary(_ outcome: TrainingRunOutcome, outPath: String) {
    let best = outcome.bestEpoch.map { "epoch \($0)" } ?? "the initial weights"
    print("saved \(best) to \(outPath)")
    if let floor = outcome.alignmentFloor {
      print(String(format: "kept among epochs with validation alignment on S ≥ %.4f (%.2f × the starting model's %.4f)",
                   floor.floor, floor.gain, floor.start))
    }
    for (name, evaluation) in [("val", outcome.validation), ("test", outcome.test)] {
      guard let evaluation, evaluation.samples > 0 else { continue }
      var line = "\(name): \(evaluation.samples) patients, AUC \(evaluation.auc.map { String(format: "%.4f", $0) } ?? "—")"
      line += ", loss \(evaluation.loss.map { String(format: "%.4f", $0) } ?? "—")"
      if let alignment = evaluation.subspaceAlignment { line += ", alignment on S \(String(format: "%.4f", alignment))" }
      print(line)
    }
  }
}

/// One line per epoch for logs: loss parts, validation AUC and alignment on S.
private func epochLine(_ epoch: EpochProgress) -> String {
  let r = epoch.report
  var line = String(format: "epoch %3d/%d  loss %.5f  bce %.5f  penalty %.5f  val AUC ", r.epoch, epoch.epochs, r.loss,
                    r.crossEntropy, r.penalty)
  line += r.validationAUC.map { String(format: "%.4f", $0) } ?? "—"
  if let alignment = epoch.validation.subspaceAlignment { line += String(format: "  val align S %.4f", alignment) }
  if r.isBest { line += "  best" }
  return line
}

private func installStopHandlers() {
  var unblock = sigset_t()
  sigemptyset(&unblock)
  for number in [SIGINT, SIGTERM, SIGHUP] {
    signal(number) { _ in stopRequested = 1 }
    sigaddset(&unblock, number)
  }
  // A launcher may have blocked them (processes started from worker threads inherit their mask).
  pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
}

/// `text` quoted for a POSIX shell when it needs it.
private func shellQuoted(_ text: String) -> String {
  let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:+@%".contains($0) }
  return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// A warning on stderr.
private func warn(_ message: String) {
  FileHandle.standardError.write(Data("fgf: warning: \(message)\n".utf8))
}
