// Tests of the in-memory cell grid the draw functions render into.
import Testing
import Explorer
import Imaging

@Suite struct CellGridTests {
  @Test func writesOutsideAreClipped() {
    var grid = CellGrid(width: 3, height: 2)
    grid[1, 1] = Cell("x")
    grid[5, 5] = Cell("y")
    #expect(grid.text(row: 1) == " x ")
    #expect(grid[5, 5] == .blank)
  }
}
