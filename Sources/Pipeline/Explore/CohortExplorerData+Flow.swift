// The flow path for the explorer's sparklines: from a patient's crop, T steps of normalised
// ascent and T of descent on f (x ← x ± η ∇f/‖∇f‖, the defaults of DESIGN §2's flow alignment),
// with f and every feature's value at each of the 2T + 1 points.

import Engine
import Imaging

extension CohortExplorerData {
  public func flow(of patient: Int, model: Int, cancel: CancelFlag) throws(ExploreProblem) -> FlowPath? {
    guard cohort.patients.indices.contains(patient) else { throw ExploreProblem("no patient \(patient + 1)") }
    guard models.indices.contains(model) else { throw ExploreProblem("no model \(model + 1)") }
    let input: ModelInput
    do { input = try crops.input(for: cohort.patients[patient]) } catch { throw ExploreProblem(error.description) }
    let settings = AlignmentSettings()
    let steps = settings.flowSteps, eta = settings.flowStepSize
    let d = ModelInput.count
    let start = models[model].logitsAndInputGradients(input.x, count: 1)
    // Two walkers: ascent (+1) and descent (−1). A walker stays where ∇f vanishes.
    var points = [input.x, input.x]
    var gradients = [start.gradients, start.gradients]
    var trail: [[(point: [Float], logit: Float)]] = [[], []]
    for _ in 0..<steps {
      if cancel.isCancelled { return nil }
      for w in 0..<2 {
        let norm = VectorMath.norm(gradients[w])
        guard norm >= VectorMath.zeroNorm else { continue }
        let scale = (w == 0 ? eta : -eta) / norm
        for i in 0..<d { points[w][i] = Float(Double(points[w][i]) + scale * Double(gradients[w][i])) }
      }
      let step = models[model].logitsAndInputGradients(points[0] + points[1], count: 2)
      for w in 0..<2 {
        gradients[w] = Array(step.gradients[(w * d)..<((w + 1) * d)])
        trail[w].append((points[w], step.logits[w]))
      }
    }
    let path = trail[1].reversed() + [(input.x, start.logits[0])] + trail[0]
    var values = [[Double?]](repeating: [], count: features.count)
    for point in path {
      if cancel.isCancelled { return nil }
      let here = FeatureInput(x: point.point, mask: input.mask, sliceThickness: input.sliceThickness)
      for (k, value) in FeatureCatalog.evaluate(features, on: here).enumerated() { values[k].append(value.value) }
    }
    return FlowPath(logits: path.map { Double($0.logit) }, values: values, centre: steps, stepSize: eta)
  }
}
