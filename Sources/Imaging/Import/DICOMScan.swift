// Classifying every file under a directory for `fgf import dicom`: each file's header is read
// only up to the RT Structure Set group (a prefix of the file, never its pixels), and CT images
// are grouped by patient and series, RT structure sets by patient; everything else is counted.

import Common

public struct DICOMScan: Sendable {
  /// An RT Structure Set file found by the scan (its contours are read later, if needed).
  public struct StructureSetFile: Sendable {
    public var path: String
    public var sopInstanceUID: String?
  }

  /// What the scan found for one PatientID.
  public struct Patient: Sendable {
    public var id: String
    /// CT image headers by SeriesInstanceUID.
    public var ctSeries: [String: [CTImageHeader]] = [:]
    /// CT files of a series whose headers could not be used, by SeriesInstanceUID ("path: problem").
    public var ctProblems: [String: [String]] = [:]
    public var structureSets: [StructureSetFile] = []
  }

  /// Patients by PatientID.
  public var patients: [String: Patient] = [:]
  /// Regular files looked at.
  public var fileCount = 0
  /// Files that are not DICOM (no "DICM" marker and no recognisable data element).
  public var notDICOM = 0
  /// DICOM files that could not be read, with the reason.
  public var unreadable: [String] = []
  /// DICOM files of other kinds, counted by modality (PT, MR, REG, RTDOSE, …).
  public var otherModalities: [String: Int] = [:]
  /// CT localizer (scout) images, which are not part of a volume.
  public var localizers = 0
  /// DICOM files without a PatientID.
  public var withoutPatientID = 0

  /// Patient IDs in sorted order.
  public var patientIDs: [String] { patients.keys.sorted() }

  /// Scans the files under `root`; `progress(done, total)` is called as files are classified.
  public static func scan(_ root: String, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(FileError) -> DICOMScan {
    let paths = try DirectoryWalk.files(under: root)
    var scan = DICOMScan()
    scan.fileCount = paths.count
    // Headers are read on all cores in chunks, so progress can be reported between chunks.
    let chunk = 256
    var start = 0
    while start < paths.count {
      let end = min(paths.count, start + chunk)
      let slice = Array(paths[start..<end])
      let kinds = Parallel.map(slice.count) { classify(slice[$0]) }
      for kind in kinds { scan.add(kind) }
      start = end
      progress?(end, paths.count)
    }
    return scan
  }

  /// What one file is.
  enum Kind: Sendable {
    case notDICOM
    case unreadable(String)
    case other(String)
    case localizer
    case noPatientID
    case ct(patient: String, series: String, header: Result<CTImageHeader, FileError>)
    case structureSet(patient: String, StructureSetFile)
  }

  mutating func add(_ kind: Kind) {
    switch kind {
    case .notDICOM: notDICOM += 1
    case .unreadable(let reason): unreadable.append(reason)
    case .other(let modality): otherModalities[modality, default: 0] += 1
    case .localizer: localizers += 1
    case .noPatientID: withoutPatientID += 1
    case .ct(let id, let series, let header):
      switch header {
      case .success(let header): patients[id, default: Patient(id: id)].ctSeries[series, default: []].append(header)
      case .failure(let error): patients[id, default: Patient(id: id)].ctProblems[series, default: []].append(error.description)
      }
    case .structureSet(let id, let file): patients[id, default: Patient(id: id)].structureSets.append(file)
    }
  }

  /// RT Structure Set elements come after everything classification needs.
  static let stopTag = DICOMTag(0x3006, 0x0000)

  static func classify(_ path: String) -> Kind {
    let file: DICOMFile
    do {
      file = try DICOMReader.readHeader(path, stopBefore: stopTag)
    } catch {
      let prefix = (try? DICOMReader.readPrefix(path, count: 132)) ?? []
      let marked = prefix.count == 132 && Array(prefix[128..<132]) == Array("DICM".utf8)
      return marked || path.lowercased().hasSuffix(".dcm") ? .unreadable(error.description) : .notDICOM
    }
    let set = file.dataSet
    let sopClass = set.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
    let modality = set.string(.modality) ?? ""
    if sopClass == DICOMSOPClass.mediaStorageDirectory { return .other("DICOMDIR") }
    let isCT = sopClass == DICOMSOPClass.ctImage || (sopClass.isEmpty && modality == "CT")
    let isStructureSet = sopClass == DICOMSOPClass.rtStructureSet || (sopClass.isEmpty && modality == "RTSTRUCT")
    guard isCT || isStructureSet else {
      if sopClass == DICOMSOPClass.enhancedCTImage { return .other("CT (Enhanced, multi-frame: not supported)") }
      return .other(modality.isEmpty ? "unknown" : modality)
    }
    guard let patient = set.string(.patientID) else { return .noPatientID }
    if isStructureSet {
      return .structureSet(patient: patient, StructureSetFile(path: path, sopInstanceUID: set.string(.sopInstanceUID)))
    }
    if set.strings(.imageType).contains("LOCALIZER") { return .localizer }
    let series = set.string(.seriesInstanceUID) ?? ""
    do {
      return .ct(patient: patient, series: series, header: .success(try CTImageHeader(file)))
    } catch {
      return .ct(patient: patient, series: series, header: .failure(error))
    }
  }
}
