// MainLoop: the explorer's event loop. It blocks in poll() on the keyboard and the wake-up pipe
// (no timeout: idle costs nothing), turns what arrived into state changes through KeyHandler and
// ExplorerState.apply, keeps the worker busy with the planner's next job, and redraws only the
// parts an effect named; the backend then paints only the cells that changed.

import Foundation
import Imaging
import Pipeline
#if canImport(Glibc)
import Glibc
#endif

final class MainLoop {
  private let data: any ExplorerData
  private let backend: CursesBackend
  private let wake: WakePipe
  private let worker: Worker
  private let trace: Trace?
  private var state: ExplorerState
  private var grid: CellGrid
  private var dirty: Effect = .panes
  private var clearScreen = true
  private var frames = 0
  /// When the input that the next frame answers arrived, in wall time and in this thread's CPU
  /// time (for the trace: on a busy machine the second shows what the frame itself cost).
  private var inputTime: UInt64?
  private var inputCPUTime: UInt64?
  private var reportedComplete = false

  init(data: any ExplorerData, backend: CursesBackend, wake: WakePipe, options: ExplorerOptions, trace: Trace?) {
    self.data = data
    self.backend = backend
    self.wake = wake
    self.trace = trace
    worker = Worker(data: data, wake: wake)
    let (mode, notice) = RenderChoice.resolve(options: options, profile: backend.profile)
    state = ExplorerState(overview: data.overview, profile: backend.profile, renderMode: mode,
                          width: backend.width, height: backend.height)
    if let notice, state.notice == nil { state.notice = Notice(notice, level: .warning) }
    grid = CellGrid(width: backend.width, height: backend.height)
    trace?.log("terminal \(backend.terminalName) \(backend.width)x\(backend.height) colors \(backend.profile.colors.rawValue) unicode \(backend.profile.unicode) render \(mode)")
  }

  /// Runs until quit; returns the exit status.
  func run() -> Int32 {
    while true {
      scheduleWork()
      redrawIfNeeded()
      var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                 pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0)]
      let ready = poll(&fds, nfds_t(fds.count), -1)
      if ready < 0 {
        if errno == EINTR { continue }
        return 1
      }
      if fds[1].revents != 0, let status = handleWakeUp() { return status }
      if fds[0].revents != 0, let status = handleInput(fds[0].revents) { return status }
    }
  }

  // MARK: Events

  /// Signals and finished jobs. Returns an exit status to stop.
  private func handleWakeUp() -> Int32? {
    for byte in wake.drain() where byte != 0 {
      let signal = Int32(byte)
      if signal == SIGWINCH {
        if let size = backend.refreshSize() { apply(KeyHandler.handle(.resize(width: size.width, height: size.height), state: &state)) }
      } else {
        trace?.log("signal \(signal)")
        return 128 + signal
      }
    }
    for finished in worker.collect() {
      trace?.log(String(format: "job %@ %.1f ms", finished.job.description, finished.seconds * 1000))
      apply(state.apply(finished.result))
    }
    return nil
  }

  /// Keys and mouse. Returns an exit status to stop.
  private func handleInput(_ revents: Int16) -> Int32? {
    // Input ended (hang-up, EOF, I/O error): the terminal is gone; leave instead of spinning.
    if revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return 129 }
    var available: Int32 = 0
    if ioctl(0, UInt(FIONREAD), &available) == 0 && available == 0 {
      // Readable with nothing to read: end of input, unless curses still holds buffered keys.
      let events = backend.readEvents()
      if events.isEmpty { return 129 }
      return handle(events)
    }
    inputTime = DispatchTime.now().uptimeNanoseconds
    inputCPUTime = Self.threadCPUTime()
    return handle(backend.readEvents())
  }

  private func handle(_ events: [InputEvent]) -> Int32? {
    if inputTime == nil {
      inputTime = DispatchTime.now().uptimeNanoseconds
      inputCPUTime = Self.threadCPUTime()
    }
    for event in events {
      let effect = KeyHandler.handle(event, state: &state)
      if effect.contains(.quit) { return 0 }
      apply(effect)
    }
    return nil
  }

  private func apply(_ effect: Effect) {
    if effect.contains(.assess) { state.refreshAssessments(using: data) }
    if effect.contains(.repaint) { clearScreen = true }
    dirty.formUnion(effect.intersection(.panes))
  }

  /// CPU time of the calling thread, in nanoseconds.
  private static func threadCPUTime() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  // MARK: Work and drawing

  /// Cancels stale work and starts the next job when the worker is idle.
  private func scheduleWork() {
    if let running = worker.running {
      if JobPlanner.shouldCancel(running.job, state: state) { worker.cancelRunning() }
      return
    }
    if let next = JobPlanner.next(state) {
      worker.start(next)
    } else if !reportedComplete && WorkProgress(state).isComplete {
      reportedComplete = true
      // The process's CPU time says what the fill-in costs regardless of how loaded the machine is.
      trace?.log(String(format: "complete cpu %.0f ms", Trace.processCPUTime()))
    }
  }

  private func redrawIfNeeded() {
    guard !dirty.isEmpty || clearScreen else { return }
    if grid.width != state.width || grid.height != state.height {
      grid = CellGrid(width: state.width, height: state.height)
      dirty = .panes
    }
    let drawStart = DispatchTime.now().uptimeNanoseconds
    Screen.draw(state, into: &grid, parts: clearScreen ? .panes : Screen.visibleParts(dirty, state: state))
    let paintStart = DispatchTime.now().uptimeNanoseconds
    let cells = backend.paint(grid, clear: clearScreen)
    let paintEnd = DispatchTime.now().uptimeNanoseconds
    frames += 1
    if let trace {
      let latency = inputTime.map { Double(DispatchTime.now().uptimeNanoseconds - $0) / 1e6 }
      let patient = state.currentPatient
      let image = patient.map { state.results.images[$0] != nil } ?? false
      let figures = patient.map { p in state.overview.models.indices.allSatisfy {
        state.results.figures(patient: p, key: state.figureKey(model: $0)) != nil } } ?? false
      let cpu = inputCPUTime.map { Double(Self.threadCPUTime() - $0) / 1e6 }
      trace.log("frame \(frames) cells \(cells)" + (latency.map { String(format: " input %.2f ms", $0) } ?? "")
        + (cpu.map { String(format: " cpu %.2f ms", $0) } ?? "")
        + String(format: " draw %.2f ms paint %.2f ms", Double(paintStart - drawStart) / 1e6, Double(paintEnd - paintStart) / 1e6)
        + " patient \(patient.map(String.init) ?? "-") image \(image ? 1 : 0) figures \(figures ? 1 : 0)")
    }
    inputTime = nil
    inputCPUTime = nil
    dirty = []
    clearScreen = false
  }
}
