// CohortExport: a cohort's preprocessed crops as one safetensors file, for users who train or
// check in Python, and as the input of `fgf analyze --tensors` / `fgf train --tensors`:
//   x                [N, 3, 64, 64] float32   model input (DESIGN §4 step 5)
//   mask             [N, 3, 64, 64] uint8     GTV crop
//   label            [N] int64                DM 0/1
//   split            [N] int64                0 train, 1 val, 2 test
//   centre           [N, 3] int64             z*, centre row, centre column (1 mm in-plane grid)
//   slice_thickness  [N] float32              s_z in mm
// Metadata: fgf.patients (JSON array of ids, in row order), fgf.preprocess (parameters JSON),
// fgf.cohort (the cohort's name).

import Common

public enum CohortExport {
  /// The file's bytes for `patients` and their `inputs` (same order and count).
  public static func encode(patients: [PatientRecord], inputs: [ModelInput], cohort: String) -> [UInt8] {
    precondition(patients.count == inputs.count, "one input per patient")
    let n = patients.count
    let shape = [n, ModelInput.channels, ModelInput.side, ModelInput.side]
    var writer = SafetensorsWriter()
    writer.setMetadata("fgf.patients", JSONValue.array(patients.map { .string($0.id) }).serialized)
    writer.setMetadata("fgf.preprocess", Preprocessor.parametersJSON)
    writer.setMetadata("fgf.cohort", cohort)
    writer.add("x", shape: shape, floats: inputs.flatMap(\.x))
    writer.add("mask", shape: shape, uint8: inputs.flatMap { $0.mask.map { $0 == 0 ? 0 : 1 } })
    writer.add("label", shape: [n], int64: patients.map { Int64($0.label) })
    writer.add("split", shape: [n], int64: patients.map { Int64(Split.allCases.firstIndex(of: $0.split) ?? 0) })
    writer.add("centre", shape: [n, 3], int64: inputs.flatMap { [Int64($0.centre.z), Int64($0.centre.y), Int64($0.centre.x)] })
    writer.add("slice_thickness", shape: [n], floats: inputs.map { Float($0.sliceThickness) })
    return writer.encoded()
  }

  /// Writes the file atomically.
  public static func write(patients: [PatientRecord], inputs: [ModelInput], cohort: String, to path: String) throws(FileError) {
    try FileIO.writeAtomically(encode(patients: patients, inputs: inputs, cohort: cohort), to: path)
  }
}
