// Model: an architecture with its parameters (one flat buffer in state_dict order, with an offset
// table) and metadata, and the batch computations on it: logits, input gradients, and the
// per-sample pieces training needs. Thread-safe for concurrent reads; mutate `parameters` only
// when no computation is running.

import Common
import Foundation

public final class Model: @unchecked Sendable {
  public let architecture: Architecture
  /// Where each parameter tensor lives in `parameters`.
  public let layout: ParameterLayout
  /// All parameters, flat, in state_dict order and layouts.
  public var parameters: [Float] {
    didSet { precondition(parameters.count == layout.count, "parameter count must stay \(layout.count)") }
  }
  /// Model file metadata: `fgf.preprocess`, `fgf.training`, `fgf.metrics` (JSON strings);
  /// `fgf.arch` is written from `architecture` on save.
  public var metadata: [String: String]

  package let network: Network
  private let poolLock = NSLock()
  private var pool: [Workspace] = []

  /// A model with parameters initialised as PyTorch does by default: every Conv2d and Linear
  /// weight and bias uniform in ±1/√fan_in (fan_in = in·k·k or in), drawn in state_dict order
  /// from `SeededRandom(seed:)`.
  public convenience init(architecture: Architecture, seed: UInt64) throws(ArchitectureError) {
    let network = try Network(architecture)
    let layout = ParameterLayout(architecture)
    var random = SeededRandom(seed: seed)
    var values = [Float]()
    values.reserveCapacity(layout.count)
    for entry in layout.entries {
      // fan_in is the product of the weight's dimensions after the first (same for its bias).
      let fanIn = layout.entries.first { $0.name == entry.layer + ".weight" }.map { $0.shape.dropFirst().reduce(1, *) } ?? 1
      let bound = 1 / Double(fanIn).squareRoot()
      for _ in 0..<entry.count { values.append(Float(random.uniform(-bound, bound))) }
    }
    self.init(network: network, layout: layout, parameters: values, metadata: [:])
  }

  /// A model with the given parameters (state_dict order; count must match the layout).
  public convenience init(architecture: Architecture, parameters: [Float], metadata: [String: String] = [:]) throws(ArchitectureError) {
    let network = try Network(architecture)
    let layout = ParameterLayout(architecture)
    guard parameters.count == layout.count else {
      throw ArchitectureError(place: "parameters", problem: "\(parameters.count) values, the architecture has \(layout.count)")
    }
    self.init(network: network, layout: layout, parameters: parameters, metadata: metadata)
  }

  private init(network: Network, layout: ParameterLayout, parameters: [Float], metadata: [String: String]) {
    self.architecture = network.architecture
    self.network = network
    self.layout = layout
    self.parameters = parameters
    self.metadata = metadata
  }

  /// An independent copy (parameters and metadata).
  public func copy() -> Model {
    Model(network: network, layout: layout, parameters: parameters, metadata: metadata)
  }

  /// Floats in one input sample (C·H·W, e.g. 3·64·64).
  public var inputCount: Int { network.inputCount }

  // MARK: workspaces

  func withWorkspaces<R>(_ count: Int, _ body: ([Workspace]) -> R) -> R {
    poolLock.lock()
    var taken = Array(pool.suffix(count))
    pool.removeLast(taken.count)
    poolLock.unlock()
    while taken.count < count { taken.append(Workspace(network: network)) }
    let result = body(taken)
    poolLock.lock()
    pool += taken
    if pool.count > 8 { pool.removeFirst(pool.count - 8) }
    poolLock.unlock()
    return result
  }

  // MARK: batch computations

  /// Logits for a batch `x` [count, C, H, W] (flat).
  public func logits(_ x: [Float], count: Int, threads: Int = Parallelism.defaultThreads) -> [Float] {
    precondition(x.count == count * inputCount, "x holds \(x.count) values, \(count) samples need \(count * inputCount)")
    let weights = network.pack(parameters)
    var out = [Float](repeating: 0, count: count)
    let workers = max(1, min(threads, count))
    withWorkspaces(workers) { spaces in
      x.withUnsafeBufferPointer { xs in
        weights.withUnsafeBufferPointer { w in
          out.withUnsafeMutableBufferPointer { o in
            let o = o
            Parallelism.forEach(count: count, threads: workers) { i, worker in
              o[i] = spaces[worker].forward(xs.baseAddress! + i * inputCount, weights: w.baseAddress!)
            }
          }
        }
      }
    }
    return out
  }

  /// Logits and input gradients ∇ₓf [count, C, H, W] for a batch `x` [count, C, H, W] (flat).
  public func logitsAndInputGradients(_ x: [Float], count: Int, threads: Int = Parallelism.defaultThreads)
    -> (logits: [Float], gradients: [Float]) {
    precondition(x.count == count * inputCount, "x holds \(x.count) values, \(count) samples need \(count * inputCount)")
    let weights = network.pack(parameters)
    var logits = [Float](repeating: 0, count: count)
    var gradients = [Float](repeating: 0, count: x.count)
    let n = inputCount
    let workers = max(1, min(threads, count))
    withWorkspaces(workers) { spaces in
      x.withUnsafeBufferPointer { xs in
        weights.withUnsafeBufferPointer { w in
          logits.withUnsafeMutableBufferPointer { l in
            gradients.withUnsafeMutableBufferPointer { g in
              let l = l, g = g
              Parallelism.forEach(count: count, threads: workers) { i, worker in
                let space = spaces[worker]
                l[i] = space.forward(xs.baseAddress! + i * n, weights: w.baseAddress!)
                space.inputGradient(weights: w.baseAddress!, into: g.baseAddress! + i * n)
              }
            }
          }
        }
      }
    }
    return (logits, gradients)
  }
}
