// SliceImage: the seam between the slice pane and Imaging's slice renderer (helper `synth`).
// TEMPORARY until `SliceRenderer` lands on main: a nearest-neighbour ASCII ramp so that the rest
// of the explorer can be built and tested; replaced by a call to `SliceRenderer.render`.

import Imaging
import Pipeline

/// Stand-in for Imaging's `RenderMode` until it lands.
public enum RenderMode: String, Sendable, CaseIterable { case ascii }

enum SliceImage {
  static func render(image: PatientImage, z: Int, view: SliceViewState, overlay: [Float]?,
                     width: Int, height: Int, mode: RenderMode) -> [[Cell]] {
    let grid = image.volume.grid
    guard grid.nx > 0, grid.ny > 0, width > 0, height > 0 else { return [] }
    let ramp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
    let scale = max(Double(grid.nx) / Double(width), Double(grid.ny) * 0.5 / Double(height))
    let columns = min(width, Int(Double(grid.nx) / scale)), rows = min(height, Int(Double(grid.ny) / scale / 2))
    let low = view.window.level - view.window.width / 2
    return (0..<rows).map { row in
      (0..<columns).map { column in
        let x = min(grid.nx - 1, Int(Double(column) * scale)), y = min(grid.ny - 1, Int(Double(row) * 2 * scale))
        if view.outline && image.mask[x, y, z] != 0 { return Cell("O") }
        let grey = min(max((Double(image.volume[x, y, z]) - low) / view.window.width, 0), 1)
        return Cell(ramp[min(ramp.count - 1, Int(grey * Double(ramp.count)))])
      }
    }
  }
}
