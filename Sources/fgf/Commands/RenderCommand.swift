// `fgf render`: prints one axial CT slice of a patient as text, with the GTV outline (and, on
// request, the model-input crop box), in the best form the terminal supports or the one asked for.

import ArgumentParser
import Foundation
import Glibc
import Common
import Imaging

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Print an axial CT slice with the GTV outline as text.",
    discussion: """
      COHORT is a cohort directory (cohort.csv beside NIfTI files) or "demo" (the default, the \
      built-in synthetic cohort). The slice defaults to the tumour's centre slice (largest GTV \
      area). Modes: truecolor and 256 draw two pixels per cell with half-blocks; 16 and 8 use \
      shade glyphs; blanks (colour without UTF-8) and ascii need no UTF-8. auto picks from TERM, \
      COLORTERM, the locale and NO_COLOR.
      """)

  @Argument(help: ArgumentHelp("Cohort directory, or \"demo\".", valueName: "cohort"))
  var cohort: String = "demo"

  @Option(name: .long, help: "Patient id (default: the first patient).")
  var patient: String?

  @Option(name: .long, help: "Axial slice index, 0 = most inferior (default: the tumour's centre slice).")
  var slice: Int?

  @Option(name: .long, help: ArgumentHelp("soft (W400/L40), bone (W1800/L400), lung (W1500/L-600) or W/L in HU, e.g. 350/50.",
                                          valueName: "window"))
  var window: String = "soft"

  @Option(name: .long, help: "Width in character columns (default: the terminal's, at most one column per voxel).")
  var width: Int?

  @Option(name: .long, help: ArgumentHelp("auto, truecolor, 256, 16, 8, blanks or ascii.", valueName: "mode"))
  var mode: String = "auto"

  @Flag(name: .long, help: "Outline the model's 64×64 input crop.")
  var box = false

  @Flag(name: .long, help: "Leave out the GTV outline.")
  var noOutline = false

  func validate() throws {
    guard WindowPreset(parsing: window) != nil else {
      throw ValidationError("--window must be soft, bone, lung or W/L such as 400/40 (width > 0)")
    }
    guard mode == "auto" || RenderMode(parsing: mode) != nil else {
      throw ValidationError("--mode must be auto, truecolor, 256, 16, 8, blanks or ascii")
    }
    if let width, width < 1 || width > 10_000 { throw ValidationError("--width must be between 1 and 10000") }
  }

  func run() throws {
    let source: any CohortSource
    do throws(FileError) {
      source = try Self.openCohort(cohort)
    } catch {
      FileHandle.standardError.write(Data("fgf render: \(error.description)\n".utf8))
      throw ExitCode.failure
    }
    guard let record = patient.map({ id in source.patients.first { $0.id == id } }) ?? source.patients.first else {
      let known = source.patients.prefix(3).map(\.id).joined(separator: ", ")
      FileHandle.standardError.write(Data("fgf render: \(source.name): no patient \(patient ?? "") (ids look like \(known)…)\n".utf8))
      throw ExitCode.failure
    }
    let image: Volume, mask: Mask
    do throws(FileError) {
      (image, mask) = try source.volumes(for: record)
    } catch {
      FileHandle.standardError.write(Data("fgf render: \(error.description)\n".utf8))
      throw ExitCode.failure
    }
    let grid = image.grid
    let tumourSlice = Self.largestMaskSlice(mask)
    let z = slice ?? tumourSlice ?? grid.nz / 2
    guard (0..<grid.nz).contains(z) else {
      FileHandle.standardError.write(Data("fgf render: \(record.id) has slices 0…\(grid.nz - 1); --slice \(z) is outside\n".utf8))
      throw ExitCode.failure
    }
    let renderMode = mode == "auto" ? RenderMode.detect(environment: ProcessInfo.processInfo.environment)
                                    : (RenderMode(parsing: mode) ?? .ascii)
    let windowPreset = WindowPreset(parsing: window) ?? .soft
    var cropBox: VoxelRect? = nil
    if box, let input = try? Preprocessor.modelInput(image: image, mask: mask) {
      // The crop is 64 mm square on the 1 mm grid; in voxels of this volume:
      let cx = Int((Double(input.centre.x) / grid.spacing.x).rounded()), cy = Int((Double(input.centre.y) / grid.spacing.y).rounded())
      let halfX = 32 / grid.spacing.x, halfY = 32 / grid.spacing.y
      cropBox = VoxelRect(x0: Int((Double(cx) - halfX).rounded()), y0: Int((Double(cy) - halfY).rounded()),
                          x1: Int((Double(cx) + halfX).rounded()), y1: Int((Double(cy) + halfY).rounded()))
    }
    let columns = width ?? min(Self.terminalColumns(), grid.nx)
    let request = SliceRenderRequest(image: image, z: z, mask: mask, showOutline: !noOutline, window: windowPreset,
                                     width: columns, mode: renderMode, cropBox: cropBox)
    let cells = SliceRenderer.render(request)
    var caption = "\(record.id)  slice \(z) of 0…\(grid.nz - 1)"
    if z == tumourSlice { caption += " (tumour centre)" }
    caption += "  \(windowPreset)  DM \(record.label)  \(record.split.rawValue)  [\(renderMode)]"
    print(caption)
    print(ANSIText.encode(cells, mode: renderMode), terminator: "")
  }

  /// The built-in demo for "demo", else the cohort directory at `name`.
  static func openCohort(_ name: String) throws(FileError) -> any CohortSource {
    if name == "demo" { return SyntheticCohort.demo() }
    throw FileError(path: name, problem: "reading cohort directories arrives with CohortDirectory", hint: "use demo")
  }

  /// The slice with the most GTV voxels (the lowest on ties), nil for an empty mask (DESIGN §4 step 2).
  static func largestMaskSlice(_ mask: Mask) -> Int? {
    let perSlice = mask.grid.sliceCount
    var best: Int? = nil, bestCount = 0
    for z in 0..<mask.grid.nz {
      var count = 0
      for i in (z * perSlice)..<((z + 1) * perSlice) where mask.voxels[i] != 0 { count += 1 }
      if count > bestCount { bestCount = count; best = z }
    }
    return best
  }

  /// Columns of the terminal on stdout, else $COLUMNS, else 80.
  static func terminalColumns() -> Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
    if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
    return 80
  }
}
