// Tests of the Tensor value type.
import Testing
import Engine

@Suite struct TensorTests {
  @Test func zerosAndReshape() {
    let t = Tensor(zeros: [2, 3, 4])
    #expect(t.count == 24)
    #expect(t.reshaped([6, 4]).shape == [6, 4])
    #expect(Tensor.elementCount([]) == 1)
  }
}
