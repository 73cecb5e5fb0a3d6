// Tests of how a FileError reads to the user (the skeleton's CommonTests target had no sources,
// so the package did not build; this gives it one real test).
import Testing
import Common

@Suite struct FileErrorDescriptionTests {
  @Test func describesPathPlaceProblemAndHint() {
    let error = FileError(path: "a.dcm", place: "byte 132", problem: "cut short", hint: "copy it again")
    #expect(error.description == "a.dcm: byte 132: cut short (copy it again)")
    #expect(FileError(path: "b", problem: "missing").description == "b: missing")
  }
}
