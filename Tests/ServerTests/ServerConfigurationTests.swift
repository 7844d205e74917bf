import Foundation
import Server
import Testing

@Suite struct ServerConfigurationTests {
    /// Paths made from the data dir reach launchers and stem cells' mount namespaces, which need them absolute.
    @Test func aRelativeDataDirIsResolvedAgainstTheWorkingDirectory() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(ServerConfiguration(dataDir: ".swiftlet", environment: [:]).dataDir == cwd + "/.swiftlet")
        #expect(ServerConfiguration(dataDir: "a/../b", environment: [:]).dataDir == cwd + "/b")
        #expect(ServerConfiguration(dataDir: "/var/lib/swiftlet", environment: [:]).dataDir == "/var/lib/swiftlet")
    }
}
