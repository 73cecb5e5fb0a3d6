// Reorienting an array whose axes point along arbitrary patient directions to fgf's canonical
// LPS array (x → Left, y → Posterior, z → Superior): each array axis goes to the world axis it is
// nearest to (largest direction cosine first), flipped if it points the other way. The affine is
// permuted with the array, so every voxel keeps its exact world position.

public struct CanonicalAxes: Sendable, Equatable {
  /// For canonical axis x, y, z: the source array axis (0 fastest … 2 slowest) it comes from.
  public var sourceAxis: [Int]
  /// For canonical axis x, y, z: the source axis runs the other way.
  public var flipped: [Bool]

  /// The reorientation for source axes whose world directions are `directions` (fastest first).
  public init(directions: [SIMD3<Double>]) {
    precondition(directions.count == 3)
    var weight = [[Double]](repeating: [0, 0, 0], count: 3)  // [source axis][world axis]
    for a in 0..<3 {
      let length = vectorLength(directions[a])
      for w in 0..<3 { weight[a][w] = length > 0 ? abs(directions[a][w]) / length : 0 }
    }
    var sourceAxis = [0, 1, 2], flipped = [false, false, false]
    var freeSource: Set<Int> = [0, 1, 2], freeWorld: Set<Int> = [0, 1, 2]
    for _ in 0..<3 {
      // The strongest remaining pairing; ties go to the lower axes, so the result is deterministic.
      var best = (a: -1, w: -1, value: -1.0)
      for a in freeSource.sorted() {
        for w in freeWorld.sorted() where weight[a][w] > best.value { best = (a, w, weight[a][w]) }
      }
      sourceAxis[best.w] = best.a
      flipped[best.w] = directions[best.a][best.w] < 0
      freeSource.remove(best.a)
      freeWorld.remove(best.w)
    }
    self.sourceAxis = sourceAxis
    self.flipped = flipped
  }

  public var isIdentity: Bool { sourceAxis == [0, 1, 2] && flipped == [false, false, false] }

  /// Canonical dimensions (nx, ny, nz) for source dimensions (fastest first).
  public func dimensions(_ source: [Int]) -> [Int] { sourceAxis.map { source[$0] } }

  /// The canonical array of a source array with dimensions `source` (fastest first).
  public func apply<T>(_ values: [T], source: [Int]) -> [T] {
    if isIdentity { return values }
    let strides = [1, source[0], source[0] * source[1]]
    let dims = dimensions(source)
    // Per canonical axis: the source step per canonical index and the source offset at index 0.
    var step = [0, 0, 0], base = 0
    for w in 0..<3 {
      let a = sourceAxis[w]
      step[w] = flipped[w] ? -strides[a] : strides[a]
      if flipped[w] { base += (source[a] - 1) * strides[a] }
    }
    var out: [T] = []
    out.reserveCapacity(values.count)
    for z in 0..<dims[2] {
      for y in 0..<dims[1] {
        var index = base + z * step[2] + y * step[1]
        for _ in 0..<dims[0] {
          out.append(values[index])
          index += step[0]
        }
      }
    }
    return out
  }

  /// The canonical affine (row-major 4×4) from the source affine given as the world position of
  /// source voxel (0,0,0) and the world step along each source axis.
  public func affine(origin: SIMD3<Double>, steps: [SIMD3<Double>], source: [Int]) -> [Double] {
    var columns = [SIMD3<Double>](repeating: .zero, count: 3)
    var corner = origin
    for w in 0..<3 {
      let a = sourceAxis[w]
      columns[w] = flipped[w] ? -steps[a] : steps[a]
      if flipped[w] { corner += Double(source[a] - 1) * steps[a] }
    }
    return [columns[0].x, columns[1].x, columns[2].x, corner.x,
            columns[0].y, columns[1].y, columns[2].y, corner.y,
            columns[0].z, columns[1].z, columns[2].z, corner.z,
            0, 0, 0, 1]
  }
}
