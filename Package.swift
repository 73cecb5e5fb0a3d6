// swift-tools-version:6.0
// fgf: a terminal explorer and engine for feature gradient flow (see README.md and Docs/DECISIONS.md).
import PackageDescription

// Kernels are compiled for the CPU that builds them: users build from source on the server that
// runs them, and the engine's speed targets need its vector units (AVX2/AVX-512 on x86).
let nativeCPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native"])]

let package = Package(
  name: "fgf",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "fgf", targets: ["fgf"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // C libraries of the machine image, behind tiny shims for macro-only APIs.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),

    // What every layer shares: file errors, atomic file I/O, JSON, safetensors, seeded random numbers.
    .target(name: "Common", swiftSettings: nativeCPU),
    // Tensors, layers, model, training, features, alignment, statistics. No terminal, no cohort files.
    .target(name: "Engine", dependencies: ["Common"], swiftSettings: nativeCPU),
    // Volumes and their files, cohorts, preprocessing, the synthetic cohort, slices as text. No models.
    .target(name: "Imaging", dependencies: ["Common", "CZlib"], swiftSettings: nativeCPU),
    // The work the commands and the explorer share: cohort crops through models, analyses, training runs.
    .target(name: "Pipeline", dependencies: ["Engine", "Imaging", "Common"], swiftSettings: nativeCPU),
    // The terminal front end: state, pure drawing into a cell grid, an ncurses backend.
    .target(name: "Explorer", dependencies: ["Pipeline", "Engine", "Imaging", "CNcursesw"], swiftSettings: nativeCPU),
    // The executable: argument parsing only.
    .executableTarget(
      name: "fgf",
      dependencies: [
        "Explorer", "Pipeline", "Engine", "Imaging", "Common",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: nativeCPU),

    .testTarget(name: "CommonTests", dependencies: ["Common"], swiftSettings: nativeCPU),
    .testTarget(name: "EngineTests", dependencies: ["Engine", "Common"], swiftSettings: nativeCPU),
    .testTarget(name: "ImagingTests", dependencies: ["Imaging", "Common"], swiftSettings: nativeCPU),
    .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Engine", "Imaging"], swiftSettings: nativeCPU),
    .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Pipeline", "Imaging"], swiftSettings: nativeCPU),
    // Drives the real `fgf` binary (built alongside) as a user would.
    .testTarget(name: "CLITests", dependencies: ["fgf"], exclude: ["explorer-measure.sh"], swiftSettings: nativeCPU),
  ]
)
