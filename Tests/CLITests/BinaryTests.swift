// Runs the real `fgf` binary built next to the tests, as a user would.
import Testing
import Foundation

/// The fgf executable in the same build folder as this test bundle.
enum FGFBinary {
  static var path: String {
    var url = Bundle.main.bundleURL
    // Swift Testing on Linux runs inside <build>/<config>/fgfPackageTests.xctest or similar.
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("fgf").path), url.path != "/" {
      url.deleteLastPathComponent()
    }
    return url.appendingPathComponent("fgf").path
  }

  /// Runs fgf with `arguments`; returns exit status, stdout and stderr.
  static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
  }
}

@Suite struct BinaryTests {
  @Test func versionPrints() throws {
    let result = try FGFBinary.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("0.1"))
  }
}
