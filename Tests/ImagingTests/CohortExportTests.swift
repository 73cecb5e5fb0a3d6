// Tests of the crop export: shapes, dtypes and values of every tensor, the patient ids in the
// metadata, split codes, and a file that reads back through the safetensors reader.
import Testing
import Common
import Imaging

@Suite struct CohortExportTests {
  @Test func exportHoldsEveryCropInRowOrder() throws {
    let cohort = CountingCohort(ids: ["a", "b \"quoted\"", "c"])
    var patients = cohort.patients
    patients[1].split = .val
    patients[2].split = .test
    let inputs = try CropStore(cohort: cohort, diskCache: false).inputs(for: patients)
    let file = try SafetensorsFile.parse(CohortExport.encode(patients: patients, inputs: inputs, cohort: "counting"), path: "export")

    let x = try file.floats("x", expectedShape: [3, 3, 64, 64])
    #expect(x.values == inputs.flatMap(\.x) && file.entry("x")?.dtype == .f32)
    let mask = try file.floats("mask", expectedShape: [3, 3, 64, 64])
    #expect(mask.values == inputs.flatMap(\.mask) && file.entry("mask")?.dtype == .u8)
    #expect(try file.floats("label", expectedShape: [3]).values == [0, 1, 0])
    #expect(try file.floats("split", expectedShape: [3]).values == [0, 1, 2])
    #expect(file.entry("label")?.dtype == .i64 && file.entry("split")?.dtype == .i64)
    let centres = try file.floats("centre", expectedShape: [3, 3]).values
    #expect(centres == inputs.flatMap { [Float($0.centre.z), Float($0.centre.y), Float($0.centre.x)] })
    #expect(try file.floats("slice_thickness", expectedShape: [3]).values == [3, 3, 3])

    let ids = try JSONValue.parse(file.metadata["fgf.patients"] ?? "").arrayValue?.compactMap(\.stringValue)
    #expect(ids == ["a", "b \"quoted\"", "c"])
    #expect(file.metadata["fgf.cohort"] == "counting")
    #expect(try JSONValue.parse(file.metadata["fgf.preprocess"] ?? "")["version"]?.intValue == Preprocessor.version)
  }
}
