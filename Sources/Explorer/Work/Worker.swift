// Worker: runs one job at a time on a background queue so the UI never waits for the engine.
// The UI thread starts a job, may cancel it, and collects finished results after the wake-up
// pipe says there is something to collect.

import Dispatch
import Foundation
import Pipeline

final class Worker: @unchecked Sendable {
  private let data: any ExplorerData
  private let wake: WakePipe
  private let queue = DispatchQueue(label: "fgf.explorer.worker", qos: .userInitiated)
  private let lock = NSLock()
  private var finished: [(job: Job, result: JobResult, seconds: Double)] = []
  /// The job in flight (UI thread only).
  private(set) var running: (job: Job, cancel: CancelFlag)?

  init(data: any ExplorerData, wake: WakePipe) {
    self.data = data
    self.wake = wake
  }

  var isIdle: Bool { running == nil }

  /// Starts `job` (UI thread; only when idle).
  func start(_ job: Job) {
    precondition(running == nil, "one job at a time")
    let cancel = CancelFlag()
    running = (job, cancel)
    let data = self.data
    queue.async { [self] in
      let start = DispatchTime.now()
      let result = job.run(data, cancel: cancel)
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      lock.withLock { finished.append((job, result, seconds)) }
      wake.signal()
    }
  }

  /// Asks the running job to stop early (it still reports what it finished).
  func cancelRunning() { running?.cancel.cancel() }

  /// Finished results, oldest first (UI thread). Clears `running` once its result is in.
  func collect() -> [(job: Job, result: JobResult, seconds: Double)] {
    let done = lock.withLock { () -> [(job: Job, result: JobResult, seconds: Double)] in
      defer { finished.removeAll() }
      return finished
    }
    if !done.isEmpty { running = nil }
    return done
  }
}
