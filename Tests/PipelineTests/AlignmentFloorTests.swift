// `--min-alignment-gain`: only epochs whose validation alignment on S reaches G × the starting
// model's can be kept — the kept epoch is the best validation AUC among exactly those (checked
// against the per-epoch figures), and when none reaches the floor nothing is kept and the run says so.

import Testing
import Foundation
import Common
import Engine
import Imaging
import Pipeline

@Suite(.serialized) struct AlignmentFloorTests {
  static func request(gain: Double) -> TrainingRequest {
    var request = TrainingRequest()
    request.epochs = 4; request.batchSize = 4; request.seed = 6; request.lambda = 2; request.threads = 2
    request.learningRate = 5e-3
    request.minimumAlignmentGain = gain
    return request
  }

  @Test func keepsTheBestAUCAmongEpochsAboveTheFloor() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 8)
    let data = TrainingRunTests.data
    // A first run with a floor every epoch passes gives each epoch's validation alignment (runs are
    // deterministic); the second puts the floor at the median of them, so some epochs fall below.
    var free: [EpochProgress] = []
    let open = try TrainingRun.run(model: model, initial: .string("test"), data: data, request: Self.request(gain: 1e-9),
                                   checkpoint: nil, onEpoch: { free.append($0) })
    let start = try #require(SplitEvaluation.evaluate(model, on: data.validation, positiveWeight: data.positiveWeight).subspaceAlignment)
    #expect(open.alignmentFloor?.start == start)
    let alignments = free.map { $0.validation.subspaceAlignment ?? 0 }
    let median = alignments.sorted()[alignments.count / 2]
    #expect(alignments.contains { $0 < median })

    var epochs: [EpochProgress] = []
    let outcome = try TrainingRun.run(model: model, initial: .string("test"), data: data,
                                      request: Self.request(gain: median / start), checkpoint: nil, onEpoch: { epochs.append($0) })
    let floor = try #require(outcome.alignmentFloor)
    #expect(epochs.map { $0.validation.subspaceAlignment } == free.map { $0.validation.subspaceAlignment })
    // The expected choice from the epochs' own figures: highest AUC among those at or above the floor, earliest on ties.
    var expected: Int? = nil, bestAUC = -Double.infinity
    for epoch in epochs where (epoch.validation.subspaceAlignment ?? -1) >= floor.floor {
      if let auc = epoch.validation.auc, auc > bestAUC { bestAUC = auc; expected = epoch.report.epoch }
    }
    print("floor \(floor.floor): per-epoch alignment \(alignments), AUC \(epochs.map { $0.validation.auc ?? .nan }), kept \(outcome.bestEpoch ?? -1)")
    #expect(expected != nil)
    #expect(outcome.bestEpoch == expected)
    #expect(outcome.floorNotReached == nil)
    #expect((outcome.validation?.subspaceAlignment ?? -1) >= floor.floor)
    #expect(outcome.model.metadata["fgf.training"]?.contains("alignment_floor") == true)
  }

  @Test func noEpochAboveTheFloorKeepsNothing() throws {
    let model = try Model(architecture: .fgfCNN(), seed: 8)
    let outcome = try TrainingRun.run(model: model, initial: .string("test"), data: TrainingRunTests.data,
                                      request: Self.request(gain: 1000), checkpoint: nil)
    let notReached = try #require(outcome.floorNotReached)
    #expect(outcome.bestEpoch == nil && outcome.validation == nil && outcome.test == nil)
    #expect(notReached.best != nil && notReached.bestEpoch != nil)
    #expect(notReached.description.contains("no epoch reached"))
  }
}
