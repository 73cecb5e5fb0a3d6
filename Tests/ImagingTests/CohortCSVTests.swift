// Tests of cohort.csv encoding and row checks: round trip with extra columns, each row problem
// with its line number, header problems.
import Testing
import Common
import Imaging

@Suite struct CohortCSVTests {
  func table(_ text: String) throws -> CohortCSV.Table { try CohortCSV.parse(Array(text.utf8), path: "c/cohort.csv") }

  func failures(_ text: String) throws -> [FileError] {
    try table(text).rows.compactMap { if case .failure(let e) = $0 { return e } else { return nil } }
  }

  @Test func encodeThenParseKeepsRecordsAndExtraColumns() throws {
    let records = [
      PatientRecord(id: "HN-001", label: 1, split: .train, image: "ct/HN-001.nii.gz", mask: "gtv/HN-001.nii.gz",
                    extra: ["63", "M", "T2, N1"], line: 0),
      PatientRecord(id: "HN \"002\"", label: 0, split: .test, image: "ct/b.nii", mask: "gtv/b.nii",
                    extra: ["", "F", "multi\nline"], line: 0),
    ]
    let text = CohortCSV.encode(records: records, extraColumns: ["age", "sex", "stage"])
    #expect(text.hasPrefix("patient_id,image,mask,label,split,age,sex,stage\n"))
    let parsed = try table(text)
    #expect(parsed.extraColumns == ["age", "sex", "stage"])
    let back = parsed.rows.compactMap { try? $0.get() }
    #expect(back.count == 2)
    for (a, b) in zip(records, back) {
      #expect(a.id == b.id && a.label == b.label && a.split == b.split && a.image == b.image && a.mask == b.mask && a.extra == b.extra)
    }
    #expect(back.map(\.line) == [2, 3])
  }

  @Test func columnsAreFoundByNameAndExtrasKeepTheirOrder() throws {
    let parsed = try table(" Split ,hpv,Patient_ID,image,age,mask,label\ntrain,1,P1,i.nii,70,m.nii,1\n")
    #expect(parsed.extraColumns == ["hpv", "age"])
    let record = try parsed.rows[0].get()
    #expect(record.id == "P1" && record.split == .train && record.label == 1 && record.extra == ["1", "70"])
  }

  @Test func labelAndSplitSpellings() throws {
    let header = "patient_id,image,mask,label,split\n"
    let parsed = try table(header + "a,i,m,1.0,TRAIN\nb,i,m, 0 ,Val\nc,i,m,0.0,test\n")
    #expect(try parsed.rows.map { try $0.get().label } == [1, 0, 0])
    #expect(try parsed.rows.map { try $0.get().split } == [.train, .val, .test])
  }

  @Test func eachBadRowNamesItsLine() throws {
    let text = """
      patient_id,image,mask,label,split
      A,a.nii,a_m.nii,0,train
      B,b.nii,b_m.nii,2,train
      C,c.nii,c_m.nii,1,validation
      D,d.nii,d_m.nii,1
      ,e.nii,e_m.nii,1,test
      F,,f_m.nii,1,test
      G,g.nii,,1,test
      A,h.nii,h_m.nii,1,test
      H,h.nii,h_m.nii,yes,test

      """
    let errors = try failures(text)
    #expect(errors.map(\.place) == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9", "line 10"])
    #expect(errors.allSatisfy { $0.path == "c/cohort.csv" })
    let problems = errors.map(\.problem)
    #expect(problems[0].contains("label \"2\" is not 0 or 1"))
    #expect(problems[1].contains("split \"validation\""))
    #expect(problems[2].contains("4 fields, but the header has 5"))
    #expect(problems[3].contains("patient_id is empty"))
    #expect(problems[4].contains("image path is empty"))
    #expect(problems[5].contains("mask path is empty"))
    #expect(problems[6].contains("already used on line 2"))
    #expect(problems[7].contains("label \"yes\""))
  }

  @Test func headerProblemsThrow() {
    func error(_ text: String) -> FileError? {
      do { _ = try CohortCSV.parse(Array(text.utf8), path: "c/cohort.csv"); return nil } catch { return error }
    }
    let missing = error("patient_id,image,label\nA,a,1\n")
    #expect(missing?.place == "line 1")
    #expect(missing?.problem == "missing columns mask, split")
    #expect(error("patient_id,image,mask,label,split,age,AGE\n")?.problem.contains("both named") == true)
    #expect(error("")?.problem == "the file is empty")
    #expect(error("\n\nid,\"x\n")?.place == "line 3")
  }
}
