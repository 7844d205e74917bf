import Foundation

/// An access key pair.
public struct Credentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String

    public init(accessKeyId: String, secretAccessKey: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
    }

    /// A fresh random pair shaped like AWS's (`AKIA` + 16 characters; 40-character secret).
    public static func generate() -> Credentials {
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let secretChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var rng = SystemRandomNumberGenerator()
        let id = "AKIA" + String((0..<16).map { _ in upper.randomElement(using: &rng)! })
        let secret = String((0..<40).map { _ in secretChars.randomElement(using: &rng)! })
        return Credentials(accessKeyId: id, secretAccessKey: secret)
    }
}

/// Looks up the secret of an access key, and of temporary credentials by their session token.
public protocol CredentialLookup: Sendable {
    /// The secret to verify a signature with; throws `.unrecognizedClient` for an unknown or inactive key or a
    /// token that does not belong to it, `.expiredToken` for expired temporary credentials.
    func secret(forAccessKey accessKeyId: String, sessionToken: String?) throws(AuthError) -> String
}

/// The fixed set of keys this server accepts (today: the root pair).
public struct StaticCredentialLookup: CredentialLookup {
    private let secrets: [String: String]

    public init(_ credentials: [Credentials]) {
        var secrets: [String: String] = [:]
        for c in credentials { secrets[c.accessKeyId] = c.secretAccessKey }
        self.secrets = secrets
    }

    public func secret(forAccessKey accessKeyId: String, sessionToken: String?) throws(AuthError) -> String {
        guard sessionToken == nil, let secret = secrets[accessKeyId] else { throw .unrecognizedClient }
        return secret
    }
}
