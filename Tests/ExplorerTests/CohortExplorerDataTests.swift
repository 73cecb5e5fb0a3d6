// The real data provider on a small synthetic cohort with two freshly initialised models: every
// figure it hands the explorer is checked against the engine computing the same thing directly.
import Testing
import Foundation
import Common
import Engine
import Imaging
import Pipeline

@Suite(.serialized) struct CohortExplorerDataTests {
  static let cohort = SyntheticCohort(patients: 6, seed: 11)

  static func provider(models count: Int = 2) throws -> (CohortExplorerData, [Model]) {
    let models = try (0..<count).map { try Model(architecture: .fgfCNN(), seed: UInt64(100 + $0)) }
    let data = CohortExplorerData(cohort: cohort, models: models.enumerated().map { ("m\($0.offset)", $0.element) },
                                  crops: CropStore(cohort: cohort, diskCache: false))
    return (data, models)
  }

  @Test func overviewListsTheCohortModelsFeaturesAndChoices() throws {
    let (data, _) = try Self.provider()
    let overview = data.overview
    #expect(overview.patients.map(\.id) == Self.cohort.patients.map(\.id))
    #expect(overview.models.map(\.label) == ["A", "B"])
    #expect(overview.features.map(\.name) == FeatureCatalog.names)
    #expect(overview.baselines.map(\.id) == ["white", "smooth", "matched"])
    #expect(overview.measures.map(\.id) == ["abs", "sq", "flow"])
    let enabled = overview.initiallyEnabled.map { overview.features[$0].name }
    #expect(enabled.contains("position.x"), "the negative control is shown from the start")
  }

  @Test func imageHasTheTumourSliceAndTheCropBox() throws {
    let (data, _) = try Self.provider()
    let image = try data.image(of: 0)
    let (volume, mask) = try Self.cohort.volumes(for: Self.cohort.patients[0])
    #expect(image.volume == volume && image.mask == mask)
    let centre = try Preprocessor.centre(of: mask)
    #expect(image.tumourSlice == centre.z)
    let box = try #require(image.cropBox)
    #expect(box.x1 - box.x0 == 63 && box.y1 - box.y0 == 63, "64 voxels at 1 mm")
    #expect(box.x0 == centre.x - 32 && box.y0 == centre.y - 32)
    #expect(box.slices == (centre.z - 1)...(centre.z + 1))
  }

  @Test func gradientOverlayIsTheModelsGradientVoxelForVoxel() throws {
    let (data, models) = try Self.provider()
    _ = try data.image(of: 1)
    let overlay = try data.gradient(of: 1, model: 1)
    let input = try CropStore(cohort: Self.cohort, diskCache: false).input(for: Self.cohort.patients[1])
    let direct = models[1].logitsAndInputGradients(input.x, count: 1)
    #expect(abs(overlay.logit - Double(direct.logits[0])) < 1e-6)
    #expect(abs(overlay.risk - 1 / (1 + exp(-overlay.logit))) < 1e-12)
    let grid = try Self.cohort.volumes(for: Self.cohort.patients[1]).image.grid
    #expect(Set(overlay.slices.keys) == Set((input.centre.z - 1)...(input.centre.z + 1)))
    var worst = 0.0, inside = 0
    for channel in 0..<3 {
      let values = try #require(overlay.slices[input.centre.z - 1 + channel])
      for y in 0..<grid.ny {
        for x in 0..<grid.nx {
          let row = y - (input.centre.y - 32), column = x - (input.centre.x - 32)
          let value = values[y * grid.nx + x]
          if (0..<64).contains(row) && (0..<64).contains(column) {
            let expected = min(1, max(-1, Double(direct.gradients[(channel * 64 + row) * 64 + column]) / overlay.scale))
            worst = max(worst, abs(Double(value) - expected))
            inside += 1
          } else {
            #expect(value.isNaN)
          }
        }
      }
    }
    print("overlay vs direct gradient: max difference \(worst) over \(inside) voxels (tolerance 1e-6)")
    #expect(worst < 1e-6)
    #expect(inside > 0)
  }

  /// The flow path against the model run directly: f and every feature at x itself, and each
  /// step of length η changing f by about η‖∇f‖ (first order; the tolerance allows curvature).
  @Test func flowPathStartsAtXAndClimbsTheGradient() throws {
    let (data, models) = try Self.provider()
    let path = try #require(try data.flow(of: 2, model: 1, cancel: CancelFlag()))
    let settings = AlignmentSettings()
    #expect(path.centre == settings.flowSteps && path.logits.count == 2 * settings.flowSteps + 1)
    #expect(path.stepSize == settings.flowStepSize)
    #expect(path.values.count == FeatureCatalog.all.count && path.values.allSatisfy { $0.count == path.logits.count })
    let input = try CropStore(cohort: Self.cohort, diskCache: false).input(for: Self.cohort.patients[2])
    let direct = models[1].logitsAndInputGradients(input.x, count: 1)
    #expect(abs(path.logits[path.centre] - Double(direct.logits[0])) < 1e-6)
    let atX = FeatureCatalog.evaluate(FeatureCatalog.all, on: FeatureInput(x: input.x, mask: input.mask,
                                                                           sliceThickness: input.sliceThickness))
    #expect(path.values.map { $0[path.centre] } == atX.map(\.value), "features at x are x's features")
    let norm = sqrt(direct.gradients.reduce(0.0) { $0 + Double($1) * Double($1) })
    let expected = settings.flowStepSize * norm
    let rises = [path.logits[path.centre + 1] - path.logits[path.centre],
                 path.logits[path.centre] - path.logits[path.centre - 1]]
    let worst = rises.map { abs($0 - expected) / expected }.max() ?? .infinity
    print("flow: first steps change f by \(rises), η‖∇f‖ = \(expected); max relative difference \(worst) (tolerance 0.1)")
    #expect(worst < 0.1)
    #expect(zip(path.logits, path.logits.dropFirst()).allSatisfy { $0 < $1 }, "f rises from the descent's end to the ascent's")
    let cancelled = CancelFlag()
    cancelled.cancel()
    #expect(try data.flow(of: 2, model: 1, cancel: cancelled) == nil)
    #expect(throws: ExploreProblem.self) { try data.flow(of: 2, model: 5, cancel: CancelFlag()) }
  }

  @Test func risksAndAUCMatchTheModel() throws {
    let (data, models) = try Self.provider()
    let patients = Array(Self.cohort.patients.indices)
    let risks = data.risks(of: patients, model: 0, cancel: CancelFlag())
    let inputs = try CropStore(cohort: Self.cohort, diskCache: false).inputs(for: Self.cohort.patients)
    let logits = models[0].logits(inputs.flatMap(\.x), count: inputs.count)
    var worst = 0.0
    for (risk, logit) in zip(risks, logits) {
      worst = max(worst, abs(try risk.get() - 1 / (1 + exp(-Double(logit)))))
    }
    print("risks vs model logits: max difference \(worst) (tolerance 1e-6)")
    #expect(worst < 1e-6)
    let expectedAUC = rocAUC(scores: logits, labels: Self.cohort.patients.map(\.label))
    #expect(data.auc(of: patients, model: 0, cancel: CancelFlag()) == expectedAUC)
    let cancelled = CancelFlag()
    cancelled.cancel()
    let (fresh, _) = try Self.provider()
    #expect(fresh.risks(of: patients, model: 0, cancel: cancelled).isEmpty, "cancelled before any work: empty prefix")
  }

  @Test func figuresAndCohortMatchTheEngineAnalysis() throws {
    let (data, models) = try Self.provider()
    let patients = Array(Self.cohort.patients.indices)
    let key = FigureKey(model: 0, baseline: 1, measure: 1)  // smooth noise, cos²
    let figures = data.figures(of: patients, key: key, cancel: CancelFlag())
    let inputs = try CropStore(cohort: Self.cohort, diskCache: false).inputs(for: Self.cohort.patients)
      .map { FeatureInput(x: $0.x, mask: $0.mask, sliceThickness: $0.sliceThickness) }
    let analyzer = AlignmentAnalyzer(settings: AlignmentSettings(measure: .sq, baseline: .smooth))
    let direct = analyzer.analyze(inputs, models: [models[0]]).map { $0[0] }
    #expect(figures.count == patients.count)
    for (figure, reference) in zip(figures, direct) {
      let got = try figure.get()
      #expect(got.map(\.alignment) == reference.features.map(\.alignment))
      #expect(got.map(\.noise) == reference.features.map(\.noiseAlignment))
      #expect(got.map(\.value) == reference.features.map(\.value))
    }
    let cohort = try #require(try data.cohort(of: patients, key: key, cancel: CancelFlag()))
    let summaries = CohortStatistics.summarize(direct, features: FeatureCatalog.names)
    for (figure, summary) in zip(cohort, summaries) {
      #expect(figure.mean == summary.meanAlignment && figure.noise == summary.meanNoise)
      #expect(figure.p == summary.pValue && figure.count == summary.pairs)
      if let low = summary.ciLower, let noise = summary.meanNoise { #expect(figure.ciLow == noise + low) }
    }
    // Holm across all features and the significance rule agree with the engine's summary.
    let verdicts = data.assess(cohort)
    for (verdict, summary) in zip(verdicts, summaries) {
      #expect(verdict?.pAdjusted == summary.adjustedP)
      #expect(verdict?.significant == summary.significant)
    }
  }

  @Test func aPatientWithoutATumourIsAProblemNotACrash() throws {
    let empty = EmptyMaskCohort()
    let data = CohortExplorerData(cohort: empty, models: [("m", try Model(architecture: .fgfCNN(), seed: 1))],
                                  crops: CropStore(cohort: empty, diskCache: false))
    let image = try data.image(of: 0)
    #expect(image.cropBox == nil && image.tumourSlice == 2)
    #expect(throws: ExploreProblem.self) { try data.gradient(of: 0, model: 0) }
    let risks = data.risks(of: [0], model: 0, cancel: CancelFlag())
    guard case .failure(let problem)? = risks.first else { Issue.record("expected a failure"); return }
    #expect(problem.message.contains("empty"), "\(problem.message)")
    let cohort = try data.cohort(of: [0], key: FigureKey(model: 0, baseline: 0, measure: 0), cancel: CancelFlag())
    #expect(cohort?.first?.undefined == 1 && cohort?.first?.mean == nil)
  }

  @Test func sessionWithoutDemoModelsSaysSo() throws {
    let directory = NSTemporaryDirectory() + "fgf-no-assets-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    setenv("FGF_ASSETS", directory, 1)
    defer { unsetenv("FGF_ASSETS") }
    let data = try ExploreSession.open(cohort: nil, models: [])
    #expect(data.overview.models.isEmpty)
    #expect(data.overview.notices.contains { $0.contains("no demo models") })
    #expect(data.overview.patients.count == SyntheticCohort.demoPatients)
    #expect(throws: FileError.self) { try ExploreSession.open(cohort: nil, models: [directory + "/missing.safetensors"]) }
  }
}

/// One patient whose GTV mask is empty.
struct EmptyMaskCohort: CohortSource {
  var name: String { "empty" }
  var extraColumns: [String] { [] }
  var patients: [PatientRecord] { [PatientRecord(id: "P1", label: 0, split: .test, image: "", mask: "", extra: [], line: 2)] }
  func volumes(for patient: PatientRecord) throws(FileError) -> (image: Volume, mask: Mask) {
    let grid = Grid(nx: 16, ny: 16, nz: 5, spacing: SIMD3(1, 1, 3))
    return (Volume(grid: grid, voxels: [Float](repeating: 40, count: grid.voxelCount)),
            Mask(grid: grid, voxels: [UInt8](repeating: 0, count: grid.voxelCount)))
  }
  func fingerprint(for patient: PatientRecord) -> String { "empty-1" }
}
