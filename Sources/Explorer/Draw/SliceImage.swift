// SliceImage: the slice pane's one call into Imaging's slice renderer: the view options of the
// state (window, outline, crop box, zoom, overlay) become a SliceRenderRequest for the pane's size.

import Imaging
import Pipeline

package enum SliceImage {
  /// Cells of slice `z` fitted into `width` × `height` cells (aspect kept, so often smaller).
  package static func render(image: PatientImage, z: Int, view: SliceViewState, overlay: [Float]?,
                     width: Int, height: Int, mode: RenderMode) -> [[Cell]] {
    let crop = image.cropBox.map { VoxelRect(x0: $0.x0, y0: $0.y0, x1: $0.x1 + 1, y1: $0.y1 + 1) }
    let request = SliceRenderRequest(
      image: image.volume, z: z, mask: image.mask, showOutline: view.outline, window: view.window,
      width: width, height: height, mode: mode,
      viewport: view.zoom ? crop : nil,
      cropBox: view.cropBox && image.cropBox?.slices.contains(z) == true ? crop : nil,
      overlay: overlay, overlayScale: 1)
    return SliceRenderer.render(request)
  }
}
