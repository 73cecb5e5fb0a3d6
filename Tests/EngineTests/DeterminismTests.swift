// Results are bit-identical whatever the number of threads: per-sample work lands in its own
// slots and parameter gradients are summed in sample order.

import Testing
import Common
import Engine

@Suite struct DeterminismTests {
  @Test func threadCountDoesNotChangeBits() throws {
    var arch = Architecture.fgfCNN()
    arch.input = [3, 32, 32]
    let model = try Model(architecture: arch, seed: 4)
    var random = SeededRandom(seed: 8)
    let count = 7, n = model.inputCount
    let x = (0..<(count * n)).map { _ in Float(random.uniform(-1, 1)) }
    let labels = (0..<count).map { $0 % 2 }
    let directions: [DirectionSet] = (0..<count).map { _ in [(0..<n).map { _ in Float(random.normal()) }] }
    let one = model.logitsAndInputGradients(x, count: count, threads: 1)
    let three = model.logitsAndInputGradients(x, count: count, threads: 3)
    #expect(one.logits == three.logits)
    #expect(one.gradients == three.gradients)
    let a = model.lossAndGradients(x: x, labels: labels, count: count, positiveWeight: 1.5, lambda: 0.3, directions: directions, threads: 1)
    let b = model.lossAndGradients(x: x, labels: labels, count: count, positiveWeight: 1.5, lambda: 0.3, directions: directions, threads: 2)
    #expect(a.gradients == b.gradients)
    #expect(a.loss == b.loss)
    #expect(model.logits(x, count: count, threads: 2) == one.logits)
  }
}
