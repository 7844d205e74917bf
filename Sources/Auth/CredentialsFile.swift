import Foundation

/// The root credentials file: an AWS shared-credentials INI file with a `[default]` profile, mode 0600.
public enum CredentialsFile {
    public static let accessKeyVariable = "SWIFTLET_ROOT_ACCESS_KEY_ID"
    public static let secretKeyVariable = "SWIFTLET_ROOT_SECRET_ACCESS_KEY"

    public struct Loaded: Sendable {
        public var credentials: Credentials
        public var path: String
        /// True when this call generated a new pair.
        public var created: Bool
        /// True when the pair came from the environment.
        public var fromEnvironment: Bool
    }

    /// Returns the root credentials: from the environment when both variables are set,
    /// else from `<dataDir>/credentials`, else newly generated. The file is (re)written so
    /// that it always holds the pair in force.
    public static func loadOrCreate(dataDir: String, environment: [String: String]) throws -> Loaded {
        let path = (dataDir as NSString).appendingPathComponent("credentials")
        if let id = environment[accessKeyVariable], let secret = environment[secretKeyVariable], !id.isEmpty, !secret.isEmpty {
            let credentials = Credentials(accessKeyId: id, secretAccessKey: secret)
            if (try? read(path: path)) != credentials { try write(credentials, path: path) }
            return Loaded(credentials: credentials, path: path, created: false, fromEnvironment: true)
        }
        if let existing = try read(path: path) {
            return Loaded(credentials: existing, path: path, created: false, fromEnvironment: false)
        }
        let fresh = Credentials.generate()
        try write(fresh, path: path)
        return Loaded(credentials: fresh, path: path, created: true, fromEnvironment: false)
    }

    /// Parses the `[default]` profile; nil when the file does not exist.
    public static func read(path: String) throws -> Credentials? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var inDefault = false
        var id: String?
        var secret: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                inDefault = line == "[default]"
                continue
            }
            guard inDefault, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if key == "aws_access_key_id" { id = value }
            if key == "aws_secret_access_key" { secret = value }
        }
        guard let id, let secret else { return nil }
        return Credentials(accessKeyId: id, secretAccessKey: secret)
    }

    public static func write(_ credentials: Credentials, path: String) throws {
        let text = """
        [default]
        aws_access_key_id = \(credentials.accessKeyId)
        aws_secret_access_key = \(credentials.secretAccessKey)

        """
        let tmp = path + ".tmp"
        // Created with owner-only permissions before the secret is written into it.
        guard FileManager.default.createFile(atPath: tmp, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp])
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tmp)
        if rename(tmp, path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
