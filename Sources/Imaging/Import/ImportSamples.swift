// Small made-up source trees for trying the importers (`fgf import sample`) and for their tests:
// a DICOM tree like a TCIA download (CT series and RT structure sets in several transfer
// syntaxes and ROI namings, plus patients the import must skip, and a clinical table), or a
// HECKTOR release in either layout. Each patient is a neck-sized ellipse of soft tissue with a
// spherical tumour (and a node) in air; values are seeded, so every run writes the same files.

import Common
import Glibc

public enum ImportSamples {
  /// The HECKTOR layouts `writeHecktor` can write.
  public enum HecktorStyle: String, Sendable, CaseIterable {
    /// imagesTr/ID__CT.nii.gz and labelsTr/ID.nii.gz.
    case imagesTr = "hecktor-2022"
    /// ID/ID__CT.nii.gz and ID/ID.nii.gz.
    case folders = "hecktor-folders"
  }

  /// One sample patient's anatomy.
  struct Anatomy {
    var tumourCentre: SIMD3<Double>
    var tumourRadius: Double
    var nodeCentre: SIMD3<Double>
    var nodeRadius: Double
    var seed: UInt64

    init(patient: Int, seed: UInt64) {
      var random = SeededRandom(seed: seed, stream: UInt64(patient))
      tumourCentre = SIMD3(random.uniform(-12, 12), random.uniform(-8, 8), random.uniform(18, 30))
      tumourRadius = random.uniform(6, 11)
      nodeCentre = SIMD3(tumourCentre.x > 0 ? -18 : 18, random.uniform(-5, 5), random.uniform(15, 33))
      nodeRadius = random.uniform(3, 5)
      self.seed = random.next()
    }

    /// HU at a patient position: air, soft tissue (40) in an ellipse, tumour (75), node (60), with noise.
    func hu(_ p: SIMD3<Double>) -> Double {
      let body = (p.x / 38) * (p.x / 38) + (p.y / 30) * (p.y / 30) <= 1
      guard body else { return -1000 }
      var value = 40.0
      if lengthOf(p - tumourCentre) <= tumourRadius { value = 75 }
      else if lengthOf(p - nodeCentre) <= nodeRadius { value = 60 }
      // Noise from a hash of the position, so any voxel's value is reproducible on its own.
      var hash = seed ^ UInt64(bitPattern: Int64((p.x * 64).rounded())) &* 0x9E37_79B9_7F4A_7C15
      hash ^= UInt64(bitPattern: Int64((p.y * 64).rounded())) &* 0xC2B2_AE3D_27D4_EB4F
      hash ^= UInt64(bitPattern: Int64((p.z * 64).rounded())) &* 0x1656_67B1_9E37_79F9
      hash ^= hash >> 29
      hash = hash &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 32
      return (value + Double(Int(hash % 31)) - 15).rounded()
    }

    /// The outline of a sphere on the plane at height z: a 32-gon, or nil if the plane misses it.
    func circle(centre: SIMD3<Double>, radius: Double, z: Double) -> [SIMD3<Double>]? {
      let dz = z - centre.z
      guard abs(dz) < radius * 0.98 else { return nil }
      let r = (radius * radius - dz * dz).squareRoot()
      return (0..<32).map { i in
        let angle = Double(i) / 32 * 2 * Double.pi
        return SIMD3(centre.x + r * cos(angle), centre.y + r * sin(angle), z)
      }
    }
  }

  static func spec(patient index: Int, id: String) -> CTSampleSpec {
    var spec = CTSampleSpec()
    spec.patientID = id
    let base = "2.25.\(7_000_000 + index * 1000)"
    spec.studyUID = base + ".1"
    spec.seriesUID = base + ".2"
    spec.frameOfReferenceUID = base + ".3"
    spec.sopPrefix = base + ".4"
    spec.rows = 96; spec.columns = 96; spec.slices = 18
    spec.rowSpacing = 0.8; spec.columnSpacing = 0.8; spec.sliceSpacing = 3
    spec.origin = SIMD3(-38, -38, 0)
    spec.instanceNumbers = (0..<18).map { 18 - $0 }
    return spec
  }

  /// Writes a DICOM tree with `patients` patients (at least 4) under `directory` and a
  /// clinical table `clinical.csv` (columns patient_id, dm, age). The last three patients are
  /// ones an import skips: no RT structure set; only nodal and planning ROIs; JPEG 2000 pixels.
  /// Returns the patient ids.
  @discardableResult
  public static func writeDICOM(to directory: String, patients: Int = 8, seed: UInt64 = 1) throws(FileError) -> [String] {
    let count = max(patients, 4)
    try makeDirectories(directory)
    let syntaxes: [DICOMTransferSyntax] = [.explicitLittle, .implicitLittle, .rleLossless, .explicitBig, .deflatedExplicitLittle]
    let roiNames = ["GTV", "GTVp", "GTV_primary", "GTV 1", "GTV-T"]
    var ids: [String] = []
    var rows = [["patient_id", "dm", "age"]]
    for index in 0..<count {
      let id = numbered("SAMPLE-", index + 1)
      ids.append(id)
      var random = SeededRandom(seed: seed, stream: 1000 + UInt64(index))
      rows.append([id, random.uniform() < 0.35 ? "1" : "0", String(45 + random.index(35))])
      var spec = spec(patient: index, id: id)
      if index % 2 == 1 { spec.signed = false; spec.bitsStored = 12; spec.highBit = 11; spec.rescaleIntercept = -1024 }
      let anatomy = Anatomy(patient: index, seed: seed)
      let kind = index - (count - 3)     // 0, 1, 2: the patients to skip
      let syntax = kind == 2 ? DICOMTransferSyntax.named("1.2.840.10008.1.2.4.90") : syntaxes[index % syntaxes.count]
      let folder = "\(directory)/\(id)/01-01-2000-CT/2.000000-CT-\(index + 1)"
      try makeDirectories(folder)
      var images = DICOMSamples.ctImages(spec, hu: anatomy.hu, encapsulateRLE: syntax == .rleLossless)
      if kind == 2 {
        for k in images.indices { images[k].setEncapsulatedPixelData(fragments: [[0xFF, 0x4F, 0xFF, 0x51, 0xFF, 0xD9]]) }
      }
      for (k, image) in images.enumerated() {
        try DICOMWriter.write(image, to: "\(folder)/1-\(numbered("", k + 1)).dcm",
                              options: DICOMWriteOptions(transferSyntax: syntax, undefinedLengths: k % 2 == 0))
      }
      guard kind != 0 else { continue }
      var tumour: [DICOMSamples.Contour] = [], node: [DICOMSamples.Contour] = [], ptv: [DICOMSamples.Contour] = []
      for k in 0..<spec.slices {
        let z = spec.sliceOrigin(k).z
        let reference = k % 3 == 0 ? nil : "\(spec.sopPrefix).\(k + 1)"   // some contours without image references
        if let points = anatomy.circle(centre: anatomy.tumourCentre, radius: anatomy.tumourRadius, z: z) {
          tumour.append(DICOMSamples.Contour(points: points, imageUID: reference))
        }
        if let points = anatomy.circle(centre: anatomy.tumourCentre, radius: anatomy.tumourRadius + 5, z: z) {
          ptv.append(DICOMSamples.Contour(points: points, imageUID: reference))
        }
        if let points = anatomy.circle(centre: anatomy.nodeCentre, radius: anatomy.nodeRadius, z: z) {
          node.append(DICOMSamples.Contour(points: points, imageUID: reference))
        }
      }
      var rois: [(name: String, contours: [DICOMSamples.Contour])] = [("GTVn", node), ("PTV", ptv)]
      if kind != 1 { rois.insert((roiNames[index % roiNames.count], tumour), at: 0) }
      let rtFolder = "\(directory)/\(id)/01-01-2000-CT/3.000000-RTstruct-\(index + 1)"
      try makeDirectories(rtFolder)
      try DICOMWriter.write(DICOMSamples.rtStructure(spec, rois: rois, sopInstanceUID: "2.25.\(7_000_000 + index * 1000).5"),
                            to: "\(rtFolder)/1-1.dcm", options: DICOMWriteOptions(transferSyntax: index % 2 == 0 ? .explicitLittle : .implicitLittle))
    }
    try FileIO.writeAtomically(Array(CSV.encode(rows).utf8), to: directory + "/clinical.csv")
    return ids
  }

  /// Writes a HECKTOR-like release with `patients` cases under `directory` in `style`, with an
  /// endpoint table `endpoint.csv` (PatientID, Relapse, RFS). The last case has no primary
  /// tumour in its label map (only a node), which an import skips.
  @discardableResult
  public static func writeHecktor(to directory: String, style: HecktorStyle, patients: Int = 4, seed: UInt64 = 1) throws(FileError) -> [String] {
    let count = max(patients, 2)
    try makeDirectories(directory)
    var ids: [String] = []
    var rows = [["PatientID", "Relapse", "RFS"]]
    for index in 0..<count {
      let id = numbered("CHUM-", index + 1)
      ids.append(id)
      var random = SeededRandom(seed: seed, stream: 2000 + UInt64(index))
      rows.append([id, random.uniform() < 0.35 ? "1" : "0", String(100 + random.index(2000))])
      let anatomy = Anatomy(patient: index, seed: seed)
      let grid = Grid(nx: 96, ny: 96, nz: 18, spacing: SIMD3(0.8, 0.8, 3),
                      affine: [0.8, 0, 0, -38, 0, 0.8, 0, -38, 0, 0, 3, 0, 0, 0, 0, 1])
      var ct = [Float](repeating: 0, count: grid.voxelCount)
      var labels = [UInt8](repeating: 0, count: grid.voxelCount)
      for z in 0..<grid.nz { for y in 0..<grid.ny { for x in 0..<grid.nx {
        let p = grid.world(x: Double(x), y: Double(y), z: Double(z))
        let i = grid.index(x: x, y: y, z: z)
        ct[i] = Float(anatomy.hu(p))
        if index < count - 1 && lengthOf(p - anatomy.tumourCentre) <= anatomy.tumourRadius { labels[i] = 1 }
        else if lengthOf(p - anatomy.nodeCentre) <= anatomy.nodeRadius { labels[i] = 2 }
      } } }
      let (imageFolder, labelFolder) = style == .imagesTr ? ("\(directory)/imagesTr", "\(directory)/labelsTr")
                                                          : ("\(directory)/\(id)", "\(directory)/\(id)")
      try makeDirectories(imageFolder)
      try makeDirectories(labelFolder)
      try NIfTIFile.write(Volume(grid: grid, voxels: ct), to: "\(imageFolder)/\(id)__CT.nii.gz")
      // A PET file beside it, which the import must not take for the CT.
      try NIfTIFile.write(Volume(grid: grid, voxels: ct.map { $0 > 50 ? 8 : 1 }), to: "\(imageFolder)/\(id)__PT.nii.gz")
      try NIfTIFile.write(Mask(grid: grid, voxels: labels), to: "\(labelFolder)/\(id).nii.gz")
    }
    try FileIO.writeAtomically(Array(CSV.encode(rows).utf8), to: directory + "/endpoint.csv")
    return ids
  }

  /// Creates `path` and its missing parents.
  static func makeDirectories(_ path: String) throws(FileError) {
    var partial = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      partial += "/" + component
      if mkdir(partial, 0o755) != 0 && errno != EEXIST {
        throw FileError(path: partial, problem: "cannot create the directory: \(String(cString: strerror(errno)))")
      }
    }
  }
}

func lengthOf(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }

/// `prefix` and a number of at least three digits ("SAMPLE-" and 7 → "SAMPLE-007").
func numbered(_ prefix: String, _ number: Int) -> String {
  let digits = String(number)
  return prefix + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
}
