// WeightAverage: an exponential moving average of the weights over training steps (Polyak–Ruppert
// averaging as in TensorFlow's ExponentialMovingAverage with num_updates). On small cohorts the
// weights after any one Adam step carry that step's noise, and the epoch picked by a 60-patient
// validation split is then often a lucky one; the average moves smoothly and generalises better.
// After step t (1-based) with decay d: avg ← avg + (1 − dₜ)(p − avg), dₜ = min(d, (1 + t)/(10 + t)),
// so the first steps are not dragged towards the initial weights. Float arithmetic, one pass.

public enum WeightAverage {
  /// The decay used after 1-based step `step` with nominal decay `decay`.
  public static func decay(_ decay: Double, afterStep step: Int) -> Double {
    min(decay, Double(1 + step) / Double(10 + step))
  }

  /// Folds `parameters` into `average` after 1-based step `step`.
  public static func update(_ average: inout [Float], with parameters: [Float], decay: Double, step: Int) {
    precondition(average.count == parameters.count, "WeightAverage: sizes disagree")
    let weight = Float(1 - Self.decay(decay, afterStep: step))
    average.withUnsafeMutableBufferPointer { a in
      parameters.withUnsafeBufferPointer { p in
        for i in 0..<a.count { a[i] += weight * (p[i] - a[i]) }
      }
    }
  }
}
