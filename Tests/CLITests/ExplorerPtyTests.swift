// The explorer on a pseudo-terminal that is not its controlling terminal, so that closing the
// other end sends no SIGHUP: the end of input alone must make it leave (status 129) instead of
// spinning on a dead terminal.
import Testing
import Foundation

@Suite struct ExplorerPtyTests {
  @Test func inputEndingExitsInsteadOfSpinning() throws {
    #if !os(Linux)
    print("skipped: the pty set-up here is Linux's"); return
    #else
    // posix_openpt, unlockpt and ptsname by hand (Glibc's module leaves them out): Linux's
    // TIOCSPTLCK and TIOCGPTN on the master of /dev/ptmx.
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    try #require(master >= 0)
    var unlock: Int32 = 0, number: UInt32 = 0
    try #require(ioctl(master, 0x4004_5431, &unlock) == 0 && ioctl(master, 0x8004_5430, &number) == 0)
    let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
    try #require(slave >= 0)
    var size = winsize(ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)

    let directory = NSTemporaryDirectory() + "fgf-pty-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_adddup2(&actions, slave, 0)
    posix_spawn_file_actions_adddup2(&actions, slave, 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, master)
    posix_spawn_file_actions_addclose(&actions, slave)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    // A new session without a controlling terminal (glibc's POSIX_SPAWN_SETSID).
    let setsid: Int32 = 0x80
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setsid))
    let argumentTexts: [String] = [FGFBinary.path, "explore"]
    let environmentTexts: [String] = [
      "TERM=xterm-256color", "LANG=C.UTF-8", "HOME=\(directory)", "XDG_CACHE_HOME=\(directory)/cache",
      "FGF_ASSETS=\(directory)", "PATH=/usr/bin:/bin",
    ]
    let arguments = argumentTexts.map { strdup($0) } + [nil]
    let environment = environmentTexts.map { strdup($0) } + [nil]
    defer { (arguments + environment).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, FGFBinary.path, &actions, &attributes, arguments, environment)
    posix_spawnattr_destroy(&attributes)
    posix_spawn_file_actions_destroy(&actions)
    close(slave)
    try #require(spawned == 0)

    // Read the screen until the first frame is there (the terminal must be drained meanwhile).
    var screen = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let deadline = Date().addingTimeInterval(90)
    while Date() < deadline && !String(decoding: screen, as: UTF8.self).contains("Patients") {
      var fd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      if poll(&fd, 1, 100) > 0 {
        let count = read(master, &buffer, buffer.count)
        if count > 0 { screen += buffer[0..<count] }
      }
    }
    #expect(String(decoding: screen, as: UTF8.self).contains("Patients"), "first frame on the pty")
    close(master)

    var status: Int32 = 0
    var exited = false
    for _ in 0..<100 {
      if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
      usleep(50_000)
    }
    if !exited {
      kill(pid, SIGKILL)
      waitpid(pid, &status, 0)
    }
    #expect(exited, "the explorer left within 5 s of its terminal going away")
    #expect(exited && (status & 0x7F) == 0 && (status >> 8) & 0xFF == 129, "exit status 129, got raw \(status)")
    #endif
  }
}
