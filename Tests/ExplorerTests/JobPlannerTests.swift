// The order of background work: the current patient first, then its neighbours' images, every
// risk, the AUCs, the cohort figures and statistics; stale work is cancelled; memory is bounded.
import Testing
import Explorer
import Imaging
import Pipeline

@Suite struct JobPlannerTests {
  @Test func currentPatientComesFirst() {
    var box = Fixture.state()
    let jobs = box.runWork()
    let key0 = FigureKey(model: 0, baseline: 0, measure: 0), key1 = FigureKey(model: 1, baseline: 0, measure: 0)
    #expect(Array(jobs.prefix(6)) == [
      .image(patient: 0), .gradient(patient: 0, model: 0), .gradient(patient: 1 - 1, model: 1),
      .figures(patients: [0], key: key0), .figures(patients: [0], key: key1), .image(patient: 1),
    ])
    // Then cohort figures (with their risks), AUCs, statistics, and finally the neighbour's gradients.
    let kinds = jobs.dropFirst(6).map { job -> String in
      switch job {
      case .risks: "risks"
      case .auc: "auc"
      case .figures: "figures"
      case .cohort: "cohort"
      case .image: "image"
      case .gradient: "gradient"
      case .flow: "flow"
      }
    }
    var collapsed: [String] = []
    for kind in kinds where collapsed.last != kind { collapsed.append(kind) }
    #expect(collapsed == ["figures", "auc", "cohort", "gradient"])
    #expect(box.state.results.riskCount(model: 0) == 12 && box.state.results.riskCount(model: 1) == 12,
            "risks came with the figures")
    #expect(JobPlanner.next(box.state) == nil)
    #expect(WorkProgress(box.state).isComplete)
  }

  @Test func chunksAreBoundedAndCoverEveryPatient() {
    var box = Fixture.state(FakeExplorerData(patients: 100))
    _ = box.press(.char("f"))  // train split: the other patients' risks need risk jobs
    let jobs = box.runWork()
    var figures = [Set<Int>](repeating: [], count: 2)
    for case .figures(let patients, let key) in jobs {
      #expect(patients.count <= JobPlanner.figureChunk)
      figures[key.model].formUnion(patients)
    }
    let train = Set(box.state.cohortPatients)
    #expect(figures[0] == train && figures[1] == train)
    for case .risks(let patients, _) in jobs {
      #expect(patients.count <= JobPlanner.riskChunk)
      #expect(train.isDisjoint(with: patients), "risks of cohort patients came with their figures")
    }
    #expect(box.state.results.riskCount(model: 0) == 100 && box.state.results.riskCount(model: 1) == 100)
    #expect(box.state.results.cohorts.count == 2)
  }

  @Test func movingToAnotherPatientPutsItFirstAndCancelsCohortWork() {
    var box = Fixture.state(FakeExplorerData(patients: 40))
    box.runWork(limit: 7)
    let running = JobPlanner.next(box.state)
    guard case .figures(let chunk, _)? = running, chunk.count > 1 else {
      Issue.record("expected cohort work, got \(String(describing: running))"); return
    }
    _ = box.press(.char("G"))
    #expect(JobPlanner.shouldCancel(running!, state: box.state))
    #expect(JobPlanner.next(box.state) == .image(patient: 39))
    box.runWork(limit: 5)
    #expect(!JobPlanner.shouldCancel(.risks(patients: [1, 2], model: 0), state: box.state))
  }

  @Test func changingTheBaselineCancelsFiguresForTheOldOne() {
    var box = Fixture.state()
    box.runWork(limit: 20)
    let old = Job.figures(patients: [3, 4], key: box.state.figureKey(model: 0))
    #expect(!JobPlanner.shouldCancel(old, state: box.state))
    _ = box.press(.char("b"))
    #expect(JobPlanner.shouldCancel(old, state: box.state), "the current patient's new figures come first")
    box.runWork(limit: 2)
    #expect(JobPlanner.next(box.state).map { if case .figures(let ps, _) = $0 { ps.count > 1 } else { true } } == true)
    #expect(JobPlanner.shouldCancel(old, state: box.state), "figures of a baseline no longer shown")
  }

  @Test func cancelledChunksKeepWhatWasDone() {
    let data = FakeExplorerData()
    let cancel = CancelFlag()
    cancel.cancel()
    let result = Job.risks(patients: [0, 1, 2], model: 0).run(data, cancel: cancel)
    var box = Fixture.state(data)
    _ = box.state.apply(result)
    #expect(box.state.results.riskCount(model: 0) == 0, "cancelled before the first patient")
    let partial = Job.figures(patients: [0, 1], key: box.state.figureKey(model: 0)).run(data, cancel: CancelFlag())
    _ = box.state.apply(partial)
    #expect(box.state.results.figureCount(of: [0, 1, 2], key: box.state.figureKey(model: 0)) == 2)
  }

  @Test func imagesOfFarPatientsAreDropped() {
    var box = Fixture.state(FakeExplorerData(patients: 60))
    for _ in 0..<30 {
      _ = box.press(.char("j"))
      box.runWork(limit: 6)
    }
    #expect(box.state.results.images.count <= ResultStore.imageLimit)
    #expect(box.state.results.overlays.count <= ResultStore.overlayLimit)
    #expect(box.state.results.images[30] != nil, "the current patient's image is kept")
  }
}
