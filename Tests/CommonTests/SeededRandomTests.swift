// Tests of the seeded generator: reproducibility, independence of streams, and distributions.
import Testing
import Common

@Suite struct SeededRandomTests {
  @Test func sameSeedSameSequenceAndStreamsDiffer() {
    var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 42, stream: 1)
    let sa = (0..<5).map { _ in a.next() }, sb = (0..<5).map { _ in b.next() }, sc = (0..<5).map { _ in c.next() }
    #expect(sa == sb)
    #expect(sa != sc)
  }

  @Test func normalHasUnitMomentsAndUniformIsInRange() {
    var rng = SeededRandom(seed: 7)
    let n = 200_000
    var sum = 0.0, sumSquares = 0.0
    for _ in 0..<n {
      let v = rng.normal()
      sum += v
      sumSquares += v * v
    }
    let mean = sum / Double(n), variance = sumSquares / Double(n) - mean * mean
    // Standard errors: mean 1/sqrt(n) ≈ 0.0022, variance sqrt(2/n) ≈ 0.0032; allow ~4 SE.
    #expect(abs(mean) < 0.01)
    #expect(abs(variance - 1) < 0.013)
    for _ in 0..<1000 {
      let u = rng.uniform()
      #expect(u >= 0 && u < 1)
      #expect((0..<7).contains(rng.index(7)))
    }
  }

  @Test func shuffleIsAPermutationAndReproducible() {
    var a = SeededRandom(seed: 3), b = SeededRandom(seed: 3)
    var x = Array(0..<50), y = Array(0..<50)
    a.shuffle(&x)
    b.shuffle(&y)
    #expect(x == y)
    #expect(x.sorted() == Array(0..<50))
    #expect(x != Array(0..<50))
  }
}
