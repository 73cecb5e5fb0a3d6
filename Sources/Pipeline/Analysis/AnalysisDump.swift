// AnalysisDump: `fgf analyze --dump OUT.safetensors`, every per-patient tensor of an analysis for
// checking it elsewhere (numpy, PyTorch). N patients, in the order of the report:
//   input, mask          [N,3,64,64]  the crops (cohorts only; issue 3), with
//   label [N] (int64, when known), split [N] (int64: 0 train, 1 val, 2 test), slice_thickness [N]
//   feature.NAME         [N]          g_k(x)
//   feature_grad.NAME    [N,3,64,64]  ∇ₓg_k(x)
// and per model (names prefixed by "LABEL." when more than one model is analysed, e.g. "B.logit"):
//   logit                [N]          f(x)
//   grad_x               [N,3,64,64]  ∇ₓf(x)
//   alignment.NAME       [N]          the chosen measure
//   alignment.noise.BASELINE  [N]     the same measure with the noise draws (mean over the J draws,
//                                     and over the path for flow); for `matched`, whose draws follow
//                                     each feature, alignment.noise.matched.NAME [N] per feature instead
// Undefined values are NaN (a whole gradient of NaN where the feature is undefined). Metadata:
// fgf.patient_ids (JSON array), fgf.source, fgf.split, fgf.models (JSON: label, source, prefix),
// fgf.analysis (measure, baseline and their parameters). A cohort's dump is itself a valid
// `--tensors` input (x is read from `input`).

import Common
import Engine
import Imaging

public enum AnalysisDump {
  /// The dump of `result`; `features` are the analysis's feature definitions (recomputed here for
  /// their gradients) and `models` its models (rerun for ∇ₓf), in the result's order.
  public static func make(_ result: AnalysisResult, features: [FeatureDefinition], models: [AnalysisModel],
                          threads: Int = Parallelism.defaultThreads, batchSize: Int = 32) -> TensorDump {
    precondition(models.count == result.models.count, "one model per result")
    let samples = result.inputs.samples
    let n = samples.count
    var dump = TensorDump(metadata: metadata(result))
    let sampleShape = result.inputs.sampleShape
    if result.inputs.origin == .cohort {
      let shape = [n] + sampleShape
      dump.add("input", shape: shape, floats: samples.flatMap(\.x))
      dump.add("mask", shape: shape, floats: samples.flatMap { $0.mask ?? [Float](repeating: .nan, count: $0.x.count) })
    }
    if samples.allSatisfy({ $0.label != nil }) {
      dump.add("label", shape: [n], int64: samples.map { Int64($0.label ?? 0) })
    }
    let splitCodes = samples.compactMap { $0.split.map(splitCode) }
    if splitCodes.count == n { dump.add("split", shape: [n], int64: splitCodes) }
    dump.add("slice_thickness", shape: [n], floats: samples.map { Float($0.sliceThickness) })

    let chosen = result.features.compactMap { name in features.first { $0.name == name } }
    if !chosen.isEmpty, let inputs = result.inputs.featureInputs {
      let evaluated = ParallelWork.map(n, threads: threads) { FeatureCatalog.evaluate(chosen, on: inputs[$0]) }
      for (k, feature) in chosen.enumerated() {
        dump.add("feature.\(feature.name)", shape: [n], floats: evaluated.map { Float($0[k].value ?? .nan) })
        dump.add("feature_grad.\(feature.name)", shape: [n, 3, 64, 64], floats: evaluated.flatMap {
          $0[k].gradient ?? [Float](repeating: .nan, count: FeatureInput.count)
        })
      }
    }

    for (model, analysis) in zip(models, result.models) {
      let prefix = models.count > 1 ? analysis.label + "." : ""
      dump.add(prefix + "logit", shape: [n], floats: analysis.logits)
      dump.add(prefix + "grad_x", shape: [n] + sampleShape,
               floats: inputGradients(samples, model.oracle, threads: threads, batchSize: batchSize))
      guard !analysis.patients.isEmpty else { continue }
      let baseline = result.alignment.baseline.rawValue
      for (k, name) in result.features.enumerated() {
        dump.add(prefix + "alignment.\(name)", shape: [n], floats: analysis.patients.map { Float($0.features[k].alignment ?? .nan) })
        if result.alignment.baseline == .matched {
          dump.add(prefix + "alignment.noise.matched.\(name)", shape: [n],
                   floats: analysis.patients.map { Float($0.features[k].noiseAlignment ?? .nan) })
        }
      }
      if result.alignment.baseline != .matched {
        dump.add(prefix + "alignment.noise.\(baseline)", shape: [n], floats: analysis.patients.map { Float($0.noiseAlignment ?? .nan) })
      }
    }
    return dump
  }

  static func inputGradients(_ samples: [AnalysisSample], _ oracle: any GradientOracle, threads: Int, batchSize: Int) -> [Float] {
    var gradients: [Float] = []
    gradients.reserveCapacity(samples.reduce(0) { $0 + $1.x.count })
    var start = 0
    while start < samples.count {
      let batch = samples[start..<min(samples.count, start + batchSize)]
      gradients += oracle.logitsAndInputGradients(batch.flatMap(\.x), count: batch.count, threads: threads).gradients
      start += batch.count
    }
    return gradients
  }

  /// The `split` tensor's code of a split (as `--tensors` inputs read it).
  static func splitCode(_ split: Split) -> Int64 {
    switch split {
    case .train: return 0
    case .val: return 1
    case .test: return 2
    }
  }

  static func metadata(_ result: AnalysisResult) -> [String: String] {
    let s = result.alignment
    let models = JSONValue.array(result.models.map {
      .object([("label", .string($0.label)), ("source", .string($0.source)),
               ("prefix", .string(result.models.count > 1 ? $0.label + "." : ""))])
    })
    return [
      "fgf.patient_ids": JSONValue.array(result.inputs.samples.map { .string($0.id) }).serialized,
      "fgf.source": result.inputs.source,
      "fgf.split": result.inputs.selection.rawValue,
      "fgf.models": models.serialized,
      "fgf.analysis": JSONValue.object([
        ("measure", .string(s.measure.rawValue)), ("baseline", .string(s.baseline.rawValue)),
        ("flow_steps", .number(s.flowSteps)), ("flow_step_size", .number(s.flowStepSize)),
        ("noise_draws", .number(s.noiseDraws)), ("noise_seed", .number(String(s.noiseSeed))),
        ("features", .array(result.features.map(JSONValue.string))),
      ]).serialized,
    ]
  }
}
