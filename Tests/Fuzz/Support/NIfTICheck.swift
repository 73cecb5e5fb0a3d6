// The NIfTI fuzz targets' shared check: `bytes` read from memory (NIfTIFile.decode) and from a
// file holding them (read, readHeader, readMask, readLabelMap) must both be refused, or agree.

import Common
import Imaging

/// Reads `bytes` both ways and checks that they agree.
func checkNIfTI(_ bytes: [UInt8], name: String) {
  let path = writeScratch(bytes, name: name)
  let fromMemory = try? NIfTIFile.decode(bytes, path: path)
  let fromFile = try? NIfTIFile.read(path)
  require((fromMemory == nil) == (fromFile == nil),
          "decode \(fromMemory == nil ? "refused" : "read") the bytes, read(path) \(fromFile == nil ? "refused" : "read") them")
  if let fromMemory, let fromFile {
    // Compared as text: a header may hold NaN in a field the reader ignores (an sform it found
    // not finite), and NaN != NaN would make equal headers differ.
    require(String(reflecting: fromMemory.header) == String(reflecting: fromFile.header), "headers differ")
    require(fromMemory.volume.grid == fromFile.volume.grid, "grids differ")
    require(fromMemory.volume.voxels.elementsEqual(fromFile.volume.voxels) { $0.bitPattern == $1.bitPattern },
            "voxels differ")
    require(fromFile.volume.voxels.count == fromFile.volume.grid.nx * fromFile.volume.grid.ny * fromFile.volume.grid.nz,
            "voxel count does not match the grid")
    let mask = try? NIfTIFile.readMask(path)
    require(mask?.voxels.count == fromFile.volume.voxels.count, "the mask of a readable volume was refused")
    _ = try? NIfTIFile.readLabelMap(path, label: 1)
  }
  // The header alone is refused only where the whole read is.
  if fromFile != nil { require((try? NIfTIFile.readHeader(path)) != nil, "readHeader refused a readable file") }
}
