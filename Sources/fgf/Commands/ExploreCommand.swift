// `fgf explore [COHORT] [--model A] [--model B] [--render MODE]`: the terminal explorer (and what
// plain `fgf` runs). Argument parsing only: the data come from Pipeline's ExploreSession, the
// screen from Explorer.

import ArgumentParser
import Explorer
import Foundation
import Imaging
import Pipeline

struct ExploreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explore",
    abstract: "Browse patients, CT slices and the models' feature alignment in the terminal.",
    discussion: """
      Without a cohort, opens the built-in demo cohort with the demo models A and B. Press ? in \
      the explorer for its keys. Needs a terminal; for files and pipes use `fgf analyze` and \
      `fgf render`. FGF_TRACE=FILE appends timings of frames and background work to FILE.
      """)

  @Argument(help: "A cohort directory (cohort.csv beside the volumes). Default: the demo cohort.")
  var cohort: String?

  @Option(name: .customLong("model"), help: "A model file (.safetensors). Give it twice to compare A and B. Default: the demo models.")
  var models: [String] = []

  @Option(help: "Slice rendering: auto, truecolor, 256, 16, 8, blanks or ascii.")
  var render: String = "auto"

  @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (no wheel or clicks).")
  var noMouse = false

  func validate() throws {
    guard models.count <= 2 else { throw ValidationError("at most two models (A and B), got \(models.count)") }
    guard render == "auto" || RenderMode(parsing: render) != nil else {
      throw ValidationError("unknown --render '\(render)': use auto, truecolor, 256, 16, 8, blanks or ascii")
    }
  }

  func run() throws {
    if let problem = ExplorerApp.terminalProblem() {
      FileHandle.standardError.write(Data("fgf: \(problem)\n".utf8))
      throw ExitCode(ExplorerApp.notATerminalStatus)
    }
    let data: any ExplorerData
    do {
      data = try ExploreSession.open(cohort: cohort, models: models)
    } catch {
      FileHandle.standardError.write(Data("fgf: \(error)\n".utf8))
      throw ExitCode.failure
    }
    let options = ExplorerOptions(render: render == "auto" ? nil : RenderMode(parsing: render), mouse: !noMouse)
    let status = ExplorerApp.run(data: data, options: options)
    if status != 0 { throw ExitCode(status) }
  }
}
