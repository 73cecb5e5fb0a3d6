// SlicePane: the current patient's axial CT slice with the GTV outline, the model-input crop box
// and a model's ∇f overlay, or models A and B side by side on the same slice. The pixels come
// from Imaging's slice renderer (via SliceImage); this file places them and writes the captions.

import Imaging
import Pipeline

enum SlicePane {
  static func draw(_ state: ExplorerState, into grid: inout CellGrid, rect: Rect) {
    let theme = state.profile.theme, glyphs = state.profile.glyphs
    let ascii = glyphs.isASCII, dot = glyphs.middleDot
    grid.fill(rect)
    guard let patient = state.currentPatient else {
      grid.box(rect, title: "Slice", style: theme.border, titleStyle: theme.header, glyphs: glyphs)
      return
    }
    let record = state.overview.patients[patient]
    let title = "\(record.id) \(dot) DM \(record.label) \(dot) \(record.split.rawValue)"
    guard case .success(let image)? = state.results.images[patient] else {
      let inner = grid.box(rect, title: title, style: theme.border, titleStyle: theme.header, glyphs: glyphs)
      if case .failure(let problem)? = state.results.images[patient] {
        grid.put("Cannot show this patient:", x: inner.x + 1, y: inner.y + 1, style: theme.error, ascii: ascii)
        wrap(problem.message, width: inner.width - 2).prefix(max(0, inner.height - 3)).enumerated().forEach {
          grid.put($1, x: inner.x + 1, y: inner.y + 2 + $0, ascii: ascii)
        }
      } else {
        let text = "loading \(record.id) \(glyphs.ellipsis)"
        grid.put(text, x: inner.x + max(0, (inner.width - text.count) / 2), y: inner.y + inner.height / 2,
                 style: theme.dim, limit: inner.width, ascii: ascii)
      }
      return
    }

    let nz = image.volume.grid.nz
    let z = min(max(state.slices.slice ?? image.tumourSlice, 0), nz - 1)
    let inner = grid.box(rect, title: title, note: "z \(z + 1)/\(nz)", style: theme.border,
                         titleStyle: theme.header, glyphs: glyphs)
    guard inner.width > 4, inner.height > 4 else { return }

    // Info line.
    var info = "slice \(z + 1) of \(nz)" + (z == image.tumourSlice ? " (tumour centre)" : " (tumour \(image.tumourSlice + 1))")
    info += " \(dot) \(state.slices.window)"
    if state.slices.zoom { info += " \(dot) zoom" }
    grid.put(info, x: inner.x, y: inner.y, style: theme.dim, limit: inner.width, ascii: ascii)

    let area = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 2)
    let models = state.overview.models
    if state.slices.sideBySide && !models.isEmpty {
      let count = min(models.count, 2)
      let width = (area.width - (count - 1)) / count
      for m in 0..<count {
        let column = Rect(x: area.x + m * (width + 1), y: area.y, width: width, height: area.height)
        let caption = caption(state, patient: patient, model: m)
        grid.put(caption, x: column.x, y: column.y, style: theme.patientBar(model: m).emphasized,
                 limit: column.width, ascii: ascii)
        let picture = Rect(x: column.x, y: column.y + 1, width: column.width, height: column.height - 1)
        drawImage(state, image: image, z: z, overlayModel: m, patient: patient, in: picture, into: &grid)
      }
    } else {
      drawImage(state, image: image, z: z, overlayModel: state.slices.overlay, patient: patient, in: area, into: &grid)
    }

    // Legend line.
    grid.put(legend(state, patient: patient, z: z, image: image), x: inner.x, y: inner.maxY - 1,
             style: theme.dim, limit: inner.width, ascii: ascii)
  }

  /// Renders slice `z` with `overlayModel`'s ∇f (if any), centred in `area`.
  private static func drawImage(_ state: ExplorerState, image: PatientImage, z: Int, overlayModel: Int?,
                                patient: Int, in area: Rect, into grid: inout CellGrid) {
    guard area.width > 0, area.height > 0 else { return }
    var overlay: [Float]?
    if let m = overlayModel, case .success(let gradients)? = state.results.overlays[PatientModel(patient: patient, model: m)] {
      overlay = gradients.slices[z]
    }
    let rows = SliceImage.render(image: image, z: z, view: state.slices, overlay: overlay,
                                 width: area.width, height: area.height, mode: state.renderMode)
    let height = rows.count, width = rows.map(\.count).max() ?? 0
    grid.blit(rows, x: area.x + max(0, (area.width - width) / 2), y: area.y + max(0, (area.height - height) / 2),
              clip: area)
  }

  /// "A model-A · risk 0.72 · ∇f" above a side-by-side picture.
  private static func caption(_ state: ExplorerState, patient: Int, model: Int) -> String {
    let dot = state.profile.glyphs.middleDot
    let label = state.overview.models[model].label
    switch state.results.risk(patient: patient, model: model) {
    case .success(let risk)?: return "\(label) \(dot) risk \(Format.fixed(risk, digits: 2)) \(dot) \u{2207}f \(label)"
    case .failure(let problem)?: return "\(label) \(dot) \(problem.message)"
    case nil: return "\(label) \(dot) risk \(state.profile.glyphs.ellipsis)"
    }
  }

  private static func legend(_ state: ExplorerState, patient: Int, z: Int, image: PatientImage) -> String {
    let dot = state.profile.glyphs.middleDot
    let nabla = state.profile.unicode ? "\u{2207}f" : "grad f"
    let shown: [Int] = state.slices.sideBySide ? Array(state.overview.models.indices.prefix(2))
      : state.slices.overlay.map { [$0] } ?? []
    guard !shown.isEmpty else {
      return "o: \(nabla) overlay \(dot) v: A|B \(dot) w: window \(dot) c: outline \(dot) x: crop box \(dot) z: zoom"
    }
    var parts: [String] = []
    for m in shown {
      let label = state.overview.models[m].label
      switch state.results.overlays[PatientModel(patient: patient, model: m)] {
      case .success(let overlay)?:
        if overlay.slices[z] == nil {
          parts.append("\(nabla) \(label): only on the crop's slices \(image.cropBox.map { "\($0.slices.lowerBound + 1)-\($0.slices.upperBound + 1)" } ?? "")")
        } else {
          parts.append("\(nabla) \(label): red raises risk, blue lowers (full colour = \(Format.general(overlay.scale)))")
        }
      case .failure(let problem)?: parts.append("\(nabla) \(label): \(problem.message)")
      case nil: parts.append("\(nabla) \(label): computing \(state.profile.glyphs.ellipsis)")
      }
    }
    return parts.joined(separator: " \(dot) ")
  }

  /// Splits `text` into lines of at most `width` characters at spaces.
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = [], current = ""
    for word in text.split(separator: " ") {
      if current.isEmpty { current = String(word) }
      else if current.count + 1 + word.count <= width { current += " " + word }
      else { lines.append(current); current = String(word) }
      while current.count > width { lines.append(String(current.prefix(width))); current = String(current.dropFirst(width)) }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }
}
