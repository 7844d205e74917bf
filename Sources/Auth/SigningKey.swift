import Crypto
import Synchronization

/// Derives SigV4 signing keys, caching them per (secret, date, region, service): the
/// four HMACs of the derivation then run once a day per client instead of once a request.
public final class SigningKeyCache: Sendable {
    private struct Key: Hashable {
        var secret: String
        var date: String
        var region: String
        var service: String
    }

    private let cache = Mutex<[Key: [UInt8]]>([:])

    public init() {}

    public func key(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        let k = Key(secret: secret, date: date, region: region, service: service)
        if let hit = cache.withLock({ $0[k] }) { return SymmetricKey(data: hit) }
        let derived = Self.derive(secret: secret, date: date, region: region, service: service)
        let bytes = derived.withUnsafeBytes { Array($0) }
        cache.withLock { entries in
            if entries.count > 1024 { entries.removeAll() }
            entries[k] = bytes
        }
        return derived
    }

    public static func derive(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ message: String) -> SymmetricKey {
            SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key)))
        }
        let kSecret = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        return hmac(hmac(hmac(hmac(kSecret, date), region), service), "aws4_request")
    }

    /// Hex signature of `stringToSign` with `key`.
    public static func signature(_ stringToSign: String, key: SymmetricKey) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }
}
