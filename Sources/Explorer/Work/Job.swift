// Job and JobResult: one piece of background work for the data provider and what came of it.
// Jobs are small (one patient, or a chunk of patients) so that the current patient's work never
// waits long behind cohort work; chunks can also be cancelled half-way.

import Imaging
import Pipeline

public enum Job: Sendable, Equatable, CustomStringConvertible {
  case image(patient: Int)
  case gradient(patient: Int, model: Int)
  case risks(patients: [Int], model: Int)
  case auc(patients: [Int], key: AUCKey)
  case figures(patients: [Int], key: FigureKey)
  case cohort(patients: [Int], key: CohortKey)
  /// The current patient's path along a model's gradient flow (for the sparklines).
  case flow(patient: Int, model: Int)

  /// Jobs over many patients may be cancelled when something more urgent comes up; their done
  /// part is kept (by the provider, and in the store).
  public var isCancellable: Bool {
    switch self {
    case .image, .gradient: false
    case .figures(let patients, _): patients.count > 1
    case .risks, .auc, .cohort, .flow: true
    }
  }

  public var description: String {
    switch self {
    case .image(let p): "image \(p)"
    case .gradient(let p, let m): "gradient \(p) model \(m)"
    case .risks(let ps, let m): "risks \(ps.count) model \(m)"
    case .auc(let ps, let key): "auc \(ps.count) model \(key.model)"
    case .figures(let ps, let key): "figures \(ps.count) model \(key.model)"
    case .cohort(let ps, let key): "cohort \(ps.count) model \(key.figures.model)"
    case .flow(let p, let m): "flow \(p) model \(m)"
    }
  }

  /// Runs the job on the calling thread (the worker's).
  package func run(_ data: any ExplorerData, cancel: CancelFlag) -> JobResult {
    switch self {
    case .image(let patient):
      do throws(ExploreProblem) { return .image(patient, .success(try data.image(of: patient))) }
      catch { return .image(patient, .failure(error)) }
    case .gradient(let patient, let model):
      do throws(ExploreProblem) {
        return .gradient(PatientModel(patient: patient, model: model), .success(try data.gradient(of: patient, model: model)))
      } catch { return .gradient(PatientModel(patient: patient, model: model), .failure(error)) }
    case .risks(let patients, let model):
      let risks = data.risks(of: patients, model: model, cancel: cancel)
      return .risks(model, Array(zip(patients, risks.prefix(patients.count))))
    case .auc(let patients, let key):
      let auc = data.auc(of: patients, model: key.model, cancel: cancel)
      return cancel.isCancelled ? .cancelled : .auc(key, auc)
    case .figures(let patients, let key):
      let figures = data.figures(of: patients, key: key, cancel: cancel)
      let done = Array(patients.prefix(figures.count))
      // The model ran for these patients: their risks are at hand (the list shows them at once).
      let risks = data.risks(of: done, model: key.model, cancel: cancel)
      return .figures(key, Array(zip(done, figures)), risks: Array(zip(done, risks)))
    case .cohort(let patients, let key):
      do throws(ExploreProblem) {
        guard let figures = try data.cohort(of: patients, key: key.figures, cancel: cancel) else { return .cancelled }
        return .cohort(key, .success(figures))
      } catch { return .cohort(key, .failure(error)) }
    case .flow(let patient, let model):
      let key = PatientModel(patient: patient, model: model)
      do throws(ExploreProblem) {
        guard let path = try data.flow(of: patient, model: model, cancel: cancel) else { return .cancelled }
        return .flow(key, .success(path))
      } catch { return .flow(key, .failure(error)) }
    }
  }
}

public enum JobResult: Sendable {
  case image(Int, Result<PatientImage, ExploreProblem>)
  case gradient(PatientModel, Result<GradientOverlay, ExploreProblem>)
  case risks(Int, [(Int, Result<Double, ExploreProblem>)])
  case auc(AUCKey, Double?)
  case figures(FigureKey, [(Int, Result<[PatientFigure], ExploreProblem>)], risks: [(Int, Result<Double, ExploreProblem>)])
  case cohort(CohortKey, Result<[CohortFigure], ExploreProblem>)
  case flow(PatientModel, Result<FlowPath, ExploreProblem>)
  case cancelled
}
