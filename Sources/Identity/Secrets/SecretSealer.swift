import Crypto
import Foundation

/// Seals secrets with AES-256-GCM under a key kept outside the database (`<data-dir>/identity.key`, mode 0600),
/// so a copy of the database alone reveals no usable secret access key. The context (an access key id, a
/// purpose) is authenticated with the ciphertext: a sealed secret moved to another row does not open.
public struct SecretSealer: Sendable {
    public static let keyFileName = "identity.key"

    /// The key's bytes (`SymmetricKey` is not Sendable; one is made per use, which costs a copy of 32 bytes).
    private let keyBytes: [UInt8]

    public init(key: SymmetricKey) {
        self.keyBytes = key.withUnsafeBytes { Array($0) }
    }

    /// A key of 32 bytes (a cluster's, kept in its database).
    public init?(keyBytes: [UInt8]) {
        guard keyBytes.count == 32 else { return nil }
        self.keyBytes = keyBytes
    }

    /// 32 random bytes: a new key.
    public static func newKeyBytes() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// Reads the key file, or creates it (32 random bytes, 0600) when missing.
    public static func loadOrCreate(dataDir: String) throws -> SecretSealer {
        let path = (dataDir as NSString).appendingPathComponent(keyFileName)
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw SecretSealerError.badKeyFile(path) }
            return SecretSealer(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SecretSealerError.badKeyFile(path)
        }
        return SecretSealer(key: key)
    }

    /// nonce (12) ‖ ciphertext ‖ tag (16).
    public func seal(_ plaintext: some DataProtocol, context: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8))
        guard let combined = box.combined else { throw SecretSealerError.cannotOpen }
        return Array(combined)
    }

    public func open(_ sealed: some DataProtocol, context: String) throws -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw SecretSealerError.cannotOpen
        }
    }

    public func sealString(_ text: String, context: String) throws -> [UInt8] {
        try seal(Array(text.utf8), context: context)
    }

    public func openString(_ sealed: some DataProtocol, context: String) throws -> String {
        String(decoding: try open(sealed, context: context), as: UTF8.self)
    }
}

public enum SecretSealerError: Error, CustomStringConvertible {
    case badKeyFile(String)
    case cannotOpen

    public var description: String {
        switch self {
        case .badKeyFile(let path): "the identity key file \(path) is not a 32-byte key and cannot be created"
        case .cannotOpen: "a sealed secret does not open with this data dir's identity key"
        }
    }
}
