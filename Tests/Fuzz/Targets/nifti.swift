// Fuzz target `nifti`: the NIfTI reader on any bytes (a .nii, or a .nii.gz when they are gzip).
// The bytes are read from memory (NIfTIFile.decode) and from a file holding them (readHeader,
// read, readMask, readLabelMap): both must refuse, or both give the same header and volume.

import Common
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNIfTI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  checkNIfTI(fuzzBytes(data, size), name: "input.nii")
  return 0
}
