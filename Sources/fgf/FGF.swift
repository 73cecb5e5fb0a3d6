// The fgf executable: argument parsing only. Each subcommand lives in its own file and calls
// into the Explorer, Pipeline, Engine and Imaging modules.

import ArgumentParser

@main
struct FGF: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fgf",
    abstract: "Feature gradient flow: explore and train CT outcome models in terms of interpretable features.",
    version: "0.1.0",
    subcommands: [
      ExploreCommand.self,
      AnalyzeCommand.self,
      TrainCommand.self,
      BenchCommand.self,
      CohortCommand.self,
      SynthCommand.self,
      RenderCommand.self,
      ImportCommand.self,
    ],
    defaultSubcommand: ExploreCommand.self)
}
