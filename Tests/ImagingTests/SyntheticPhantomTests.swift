// Tests of the synthetic volumes: the GTV mask is exactly the tumour's support, tissues have
// textbook HU, the noise has the drawn level and the kernel's correlation, heterogeneity shows as
// texture while the tumour's mean stays the drawn one, and the orientation is canonical LPS.
import Testing
import Imaging
import Common

@Suite struct SyntheticPhantomTests {
  static let cohort = SyntheticCohort(patients: 12, seed: 4242)

  @Test func gridIsCanonicalAndValuesAreScannerLike() throws {
    let (image, mask) = try Self.cohort.volumes(for: Self.cohort.patients[0])
    let grid = image.grid
    #expect(grid.nx == 160 && grid.ny == 160 && grid.nz == 28 && grid.spacing == SIMD3(1, 1, 3))
    #expect(grid.affine[0] == 1 && grid.affine[5] == 1 && grid.affine[10] == 3 && mask.grid == grid)
    #expect(image.voxels.allSatisfy { $0 == $0.rounded() && $0 >= -1024 && $0 <= 3071 })
    #expect(mask.voxels.allSatisfy { $0 <= 1 } && mask.voxels.contains(1))
    // Anterior is row 0: the airway (air inside the body) lies anterior to the spine (bone).
    var airRows = 0.0, airCount = 0.0, boneRows = 0.0, boneCount = 0.0
    let k = grid.nz / 2
    for y in 0..<grid.ny {
      for x in 40..<120 {
        let hu = image[x, y, k]
        if hu > 500 { boneRows += Double(y); boneCount += 1 }
        if hu < -700 && (50..<110).contains(y) { airRows += Double(y); airCount += 1 }
      }
    }
    #expect(airCount > 20 && boneCount > 20 && airRows / airCount + 10 < boneRows / boneCount)
  }

  @Test func maskIsExactlyTheTumourSupport() {
    let grid = Grid(nx: 160, ny: 160, nz: 28, spacing: SIMD3(1, 1, 3))
    var worstVolumeError = 0.0
    for index in [0, 1, 2, 5] {
      let patient = Self.cohort.groundTruth[index]
      let (image, mask) = SyntheticPhantom.volumes(for: patient, seed: Self.cohort.seed)
      let (background, empty) = SyntheticPhantom.volumes(for: patient, seed: Self.cohort.seed, includeTumour: false)
      #expect(!empty.voxels.contains(1))
      var mismatches = 0, count = 0, changedFarAway = 0
      for z in 0..<grid.nz {
        for y in 0..<grid.ny {
          for x in 0..<grid.nx {
            let inside = patient.tumour.contains(SIMD3(Double(x), Double(y), Double(z) * 3))
            let i = grid.index(x: x, y: y, z: z)
            if inside != (mask.voxels[i] == 1) { mismatches += 1 }
            if inside { count += 1 }
            // Beyond the partial-volume band (1.5 voxels), the tumour changes nothing.
            if !inside && image.voxels[i] != background.voxels[i] {
              let near = (-1...1).contains { dz in (-2...2).contains { dy in (-2...2).contains { dx in
                let (xx, yy, zz) = (x + dx, y + dy, z + dz)
                return (0..<grid.nx).contains(xx) && (0..<grid.ny).contains(yy) && (0..<grid.nz).contains(zz)
                  && patient.tumour.contains(SIMD3(Double(xx), Double(yy), Double(zz) * 3))
              } } }
              if !near { changedFarAway += 1 }
            }
          }
        }
      }
      #expect(mismatches == 0)
      #expect(changedFarAway == 0)
      // The voxel count approximates the exact volume (discretisation at 1 × 1 × 3 mm).
      let relative = abs(Double(count) * 3 - patient.trueVolume) / patient.trueVolume
      worstVolumeError = max(worstVolumeError, relative)
      #expect(relative < 0.1, "patient \(index): \(count * 3) mm³ of voxels vs \(patient.trueVolume) mm³")
    }
    print("GTV voxel volume vs exact volume: max relative difference \(worstVolumeError) (tolerance 0.1)")
  }

  @Test func tissuesHaveTextbookHU() {
    // Noise-free volumes; landmarks on slices the tumour does not reach. Ranges: contrast-enhanced
    // neck CT (air −1000, fat −120…−80, muscle 40…70, cord 25…45, CSF 0…15, cancellous bone
    // 150…350, disc 60…110, cortical/posterior-element bone 500…1000, arteries 200…400, veins 130…260).
    let ranges: [String: ClosedRange<Float>] = [
      "air": -1000 ... -990, "airway": -1000 ... -950, "fat": -120 ... -80, "muscle": 40...70, "cord": 25...45,
      "csf": 0...15, "cancellous": 150...350, "disc": 60...110, "bone": 500...1000, "artery": 200...400,
      "vein": 130...260,
    ]
    var checked = Set<String>()
    for patient in Self.cohort.groundTruth.prefix(6) where patient.nStage != "N3" {
      let (image, _) = SyntheticPhantom.volumes(for: patient, seed: Self.cohort.seed, noise: false)
      #expect(image.voxels.allSatisfy { $0 >= -1000 && $0 <= 1100 })
      for k in 0..<28 {
        let z = Double(k) * 3
        guard abs(z - patient.tumour.centre.z) > patient.tumour.reach + 3 else { continue }
        for landmark in patient.anatomy.landmarks(z: z, tumour: patient.tumour) {
          let hu = image[Int(landmark.x.rounded()), Int(landmark.y.rounded()), k]
          guard let range = ranges[landmark.tissue] else { Issue.record("no range for \(landmark.tissue)"); continue }
          #expect(range.contains(hu), "\(patient.id) slice \(k): \(landmark.tissue) \(hu) HU")
          checked.insert(landmark.tissue)
        }
      }
    }
    #expect(checked.isSuperset(of: ["air", "airway", "fat", "muscle", "cord", "csf", "bone", "artery", "vein"]))
  }

  @Test func noiseHasTheDrawnLevelAndKernelCorrelation() {
    // Oracle: white noise blurred by [1 2 1]/4 along x and y has lag-1 correlation
    // Σ w_k w_{k+1} / Σ w_k² = (2 + 2) / 6 = 2/3 along x and y and 0 across slices.
    let patient = Self.cohort.groundTruth[3]
    let clean = SyntheticPhantom.volumes(for: patient, seed: Self.cohort.seed, noise: false).image
    let noisy = SyntheticPhantom.volumes(for: patient, seed: Self.cohort.seed).image
    let grid = clean.grid
    let noise = zip(noisy.voxels, clean.voxels).map { Double($0 - $1) }
    let usable = clean.voxels.map { $0 > -900 }   // away from the −1024 clamp in air
    var sum = 0.0, squares = 0.0, n = 0.0
    for i in noise.indices where usable[i] { sum += noise[i]; squares += noise[i] * noise[i]; n += 1 }
    let mean = sum / n, sd = (squares / n - mean * mean).squareRoot()
    func lagCorrelation(_ step: Int) -> Double {
      var c = 0.0, m = 0.0
      for i in 0..<(noise.count - step) where usable[i] && usable[i + step] {
        c += (noise[i] - mean) * (noise[i + step] - mean); m += 1
      }
      return c / m / (sd * sd)
    }
    let rx = lagCorrelation(1), ry = lagCorrelation(grid.nx), rz = lagCorrelation(grid.sliceCount)
    print("noise: sd \(sd) HU (drawn \(patient.anatomy.noiseSigma)), lag-1 correlation x \(rx), y \(ry), z \(rz)")
    #expect(abs(sd - patient.anatomy.noiseSigma) / patient.anatomy.noiseSigma < 0.03)
    #expect(abs(mean) < 0.2)
    #expect(abs(rx - 2.0 / 3) < 0.02 && abs(ry - 2.0 / 3) < 0.02 && abs(rz) < 0.02)
  }

  @Test func heterogeneityShowsAsTextureAndMeanStaysDrawn() {
    var heterogeneity: [Double] = [], spread: [Double] = []
    var worstMean = 0.0
    for patient in Self.cohort.groundTruth {
      let (image, mask) = SyntheticPhantom.volumes(for: patient, seed: Self.cohort.seed, noise: false)
      let grid = image.grid
      var core: [Double] = []
      // Core voxels (all six neighbours in the GTV): free of partial volume with the surroundings.
      for z in 1..<(grid.nz - 1) {
        for y in 1..<(grid.ny - 1) {
          for x in 1..<(grid.nx - 1) where mask[x, y, z] == 1 {
            if mask[x - 1, y, z] == 1 && mask[x + 1, y, z] == 1 && mask[x, y - 1, z] == 1 && mask[x, y + 1, z] == 1
                && mask[x, y, z - 1] == 1 && mask[x, y, z + 1] == 1 {
              core.append(Double(image[x, y, z]))
            }
          }
        }
      }
      guard core.count > 30 else { continue }
      let mean = core.reduce(0, +) / Double(core.count)
      let sd = (core.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(core.count)).squareRoot()
      heterogeneity.append(patient.trueHeterogeneity)
      spread.append(sd)
      worstMean = max(worstMean, abs(mean - patient.tumourMeanHU))
    }
    let r = pearson(heterogeneity, spread)
    print("GTV core HU sd vs heterogeneity: r = \(r) over \(spread.count) patients; worst |GTV core mean − drawn mean| \(worstMean) HU")
    #expect(spread.count >= 8 && r > 0.8)
    // The interior's mean is the drawn one (the shift is computed over the whole GTV, whose partial-
    // volume edge voxels blend in their surroundings, so the core mean may differ a little).
    #expect(worstMean < 12)
  }
}
