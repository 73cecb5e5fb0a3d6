// Tests of asset location.
import Testing
import Foundation
import Pipeline

@Suite struct AssetLocatorTests {
  @Test func assetsDirectoryIsTheRepositoryFolder() {
    #expect(AssetLocator.directory.hasSuffix("/Assets"))
    #expect(FileManager.default.fileExists(atPath: AssetLocator.directory))
  }
}
