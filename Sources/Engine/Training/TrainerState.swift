// TrainerState: everything a training run needs to continue exactly — parameters, Adam moments
// and step, completed epochs, the best epoch so far and its parameters, and the history — and
// its checkpoint file (safetensors, written atomically after every epoch). Shuffling and
// augmentation draw from `SeededRandom(seed: seed, stream: epoch)`, a fresh generator per epoch,
// so the random state at an epoch boundary is (seed, epoch) and resuming is bit-identical.

import Common

public struct TrainerState: Sendable {
  public var parameters: [Float]
  public var adam: Adam
  public var completedEpochs: Int
  public var bestEpoch: Int?
  public var bestAUC: Double?
  public var bestParameters: [Float]
  public var history: [EpochReport]
  /// The moving average of the weights, when the run keeps one (`TrainingConfiguration.weightAverage`).
  public var averagedParameters: [Float]? = nil

  /// The weights an epoch is judged by and kept as: the average when there is one.
  public var evaluatedParameters: [Float] { averagedParameters ?? parameters }

  static let checkpointKey = "fgf.checkpoint"

  /// The checkpoint file contents for `architecture` and `configuration`.
  func encoded(architecture: Architecture, configuration: TrainingConfiguration) -> [UInt8] {
    var writer = SafetensorsWriter()
    writer.setMetadata(Model.architectureKey, architecture.json)
    let info = JSONValue.object([
      ("format", .number(1)), ("completed_epochs", .number(completedEpochs)), ("adam_step", .number(adam.step)),
      ("best_epoch", bestEpoch.map { JSONValue.number($0) } ?? .null),
      ("best_auc", bestAUC.map { JSONValue.number($0) } ?? .null),
      ("configuration", configuration.json), ("history", .array(history.map(\.json))),
    ])
    writer.setMetadata(TrainerState.checkpointKey, info.serialized)
    writer.add("parameters", shape: [parameters.count], floats: parameters)
    writer.add("adam.first_moment", shape: [parameters.count], floats: adam.firstMoment)
    writer.add("adam.second_moment", shape: [parameters.count], floats: adam.secondMoment)
    writer.add("best.parameters", shape: [parameters.count], floats: bestParameters)
    if let averagedParameters { writer.add("average.parameters", shape: [parameters.count], floats: averagedParameters) }
    return writer.encoded()
  }

  /// Reads a checkpoint; returns the state, its architecture and the configuration it was made with.
  static func load(_ path: String, adam settings: AdamSettings, averaged: Bool) throws(FileError)
    -> (state: TrainerState, architecture: Architecture, configuration: JSONValue) {
    let file = try SafetensorsFile.read(path)
    func fail(_ place: String, _ problem: String) -> FileError {
      FileError(path: path, place: place, problem: problem, hint: "not an fgf training checkpoint")
    }
    guard let archText = file.metadata[Model.architectureKey],
          let architecture = try? Architecture(json: archText) else {
      throw fail("__metadata__.\(Model.architectureKey)", "missing or invalid architecture")
    }
    guard let infoText = file.metadata[checkpointKey], let info = try? JSONValue.parse(infoText),
          info["format"]?.intValue == 1, let completed = info["completed_epochs"]?.intValue, completed >= 0,
          let step = info["adam_step"]?.intValue, step >= 0, let configuration = info["configuration"],
          let historyItems = info["history"]?.arrayValue else {
      throw fail("__metadata__.\(checkpointKey)", "missing or invalid checkpoint record")
    }
    let count = ParameterLayout(architecture).count
    func tensor(_ name: String) throws(FileError) -> [Float] {
      guard let entry = file.entry(name), entry.dtype == .f32 else { throw fail("tensor \(name)", "missing or not F32") }
      return try file.floats(name, expectedShape: [count]).values
    }
    var adam = Adam(parameterCount: count, settings: settings)
    adam.firstMoment = try tensor("adam.first_moment")
    adam.secondMoment = try tensor("adam.second_moment")
    adam.step = step
    var history: [EpochReport] = []
    for item in historyItems {
      guard let report = EpochReport(json: item) else { throw fail("__metadata__.\(checkpointKey)", "invalid history entry") }
      history.append(report)
    }
    var state = TrainerState(parameters: try tensor("parameters"), adam: adam, completedEpochs: completed,
                             bestEpoch: info["best_epoch"]?.intValue, bestAUC: info["best_auc"]?.doubleValue,
                             bestParameters: try tensor("best.parameters"), history: history)
    if averaged { state.averagedParameters = try tensor("average.parameters") }
    return (state, architecture, configuration)
  }
}
