// Tests of the screen cell value.
import Testing
import Imaging

@Suite struct CellTests {
  @Test func blankIsASpaceInDefaultColours() {
    #expect(Cell.blank.character == " ")
    #expect(Cell.blank.foreground == .standard)
  }
}
