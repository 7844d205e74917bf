import Foundation
import Testing
@testable import Auth

@Suite struct CredentialsFileTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "swiftlet-creds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func generatesOnceWithMode0600AndRereads() throws {
        let dir = try tempDir()
        let first = try CredentialsFile.loadOrCreate(dataDir: dir, environment: [:])
        #expect(first.created)
        #expect(first.credentials.accessKeyId.hasPrefix("AKIA"))
        #expect(first.credentials.accessKeyId.count == 20)
        #expect(first.credentials.secretAccessKey.count == 40)
        let mode = try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try CredentialsFile.loadOrCreate(dataDir: dir, environment: [:])
        #expect(!second.created)
        #expect(second.credentials == first.credentials)
        let text = try String(contentsOfFile: first.path, encoding: .utf8)
        #expect(text.hasPrefix("[default]\naws_access_key_id = \(first.credentials.accessKeyId)\n"))
    }

    @Test func environmentWins() throws {
        let dir = try tempDir()
        _ = try CredentialsFile.loadOrCreate(dataDir: dir, environment: [:])
        let env = [CredentialsFile.accessKeyVariable: "AKIAENVENVENVENVENV1", CredentialsFile.secretKeyVariable: "s3cret"]
        let loaded = try CredentialsFile.loadOrCreate(dataDir: dir, environment: env)
        #expect(loaded.fromEnvironment)
        #expect(loaded.credentials == Credentials(accessKeyId: "AKIAENVENVENVENVENV1", secretAccessKey: "s3cret"))
        #expect(try CredentialsFile.read(path: loaded.path) == loaded.credentials)
    }
}
