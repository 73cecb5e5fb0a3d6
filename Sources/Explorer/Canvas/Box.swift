// Box drawing on the cell grid: a pane's frame with its title set into the top edge.

import Imaging

extension CellGrid {
  /// Draws a frame around `rect` in `style`, with `title` (and an optional right-aligned `note`)
  /// on the top edge, cut to fit. Returns the interior.
  @discardableResult
  public mutating func box(_ rect: Rect, title: String, note: String = "", style: Style,
                           titleStyle: Style, glyphs: Glyphs) -> Rect {
    guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
    let right = rect.maxX - 1, bottom = rect.maxY - 1
    for x in rect.x...right {
      self[x, rect.y] = style.cell(glyphs.horizontal)
      self[x, bottom] = style.cell(glyphs.horizontal)
    }
    for y in rect.y...bottom {
      self[rect.x, y] = style.cell(glyphs.vertical)
      self[right, y] = style.cell(glyphs.vertical)
    }
    self[rect.x, rect.y] = style.cell(glyphs.topLeft)
    self[right, rect.y] = style.cell(glyphs.topRight)
    self[rect.x, bottom] = style.cell(glyphs.bottomLeft)
    self[right, bottom] = style.cell(glyphs.bottomRight)
    let room = rect.width - 4
    if room > 0 {
      let shownNote = note.isEmpty || note.count + 4 > room - 6 ? "" : " \(note) "
      let titleRoom = room - shownNote.count
      if titleRoom > 2 {
        put(" " + DisplayText.fit(title, min(title.count, titleRoom - 2), ascii: glyphs.isASCII) + " ",
            x: rect.x + 1, y: rect.y, style: titleStyle, ascii: glyphs.isASCII)
      }
      if !shownNote.isEmpty {
        put(shownNote, x: right - shownNote.count, y: rect.y, style: style, ascii: glyphs.isASCII)
      }
    }
    return rect.inset(1)
  }
}
