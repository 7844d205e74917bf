import Auth
import Foundation
import Synchronization

/// Issues temporary credentials (`ASIA…` keys with a session token) and opens the tokens callers sign with.
/// The token is the sealed `SessionClaims` in base64; opened tokens are cached, so a function calling the
/// platform on every invocation pays the AES-GCM open once.
public final class SessionIssuer: Sendable {
    static let context = "swiftlet-session-v1"
    /// Opened tokens kept at most; the cache is emptied when it grows past this.
    static let cacheLimit = 4096

    private let sealer: SecretSealer
    private let clock: @Sendable () -> Date
    /// Caps every session's life (an operator's choice, and how tests see credentials expire).
    private let maxDuration: Int?
    private let opened = Mutex<[String: SessionClaims]>([:])

    public init(sealer: SecretSealer, maxDuration: Int? = nil, clock: @escaping @Sendable () -> Date = Date.init) {
        self.sealer = sealer
        self.maxDuration = maxDuration
        self.clock = clock
    }

    /// New credentials for `subject`, valid for `duration` seconds from now (capped by the server's maximum unless
    /// `capped` is false, as for execution roles, whose environments are retired before their credentials expire).
    public func issue(_ subject: SessionClaims.Subject, duration: Int, capped: Bool = true,
                      sessionPolicy: SessionPolicy? = nil, subjectId: String? = nil) throws -> TemporaryCredentials {
        let duration = capped ? min(duration, maxDuration ?? duration) : duration
        let now = Int64(clock().timeIntervalSince1970)
        let generated = Credentials.generate()
        let claims = SessionClaims(
            accessKeyId: "ASIA" + generated.accessKeyId.dropFirst(4), secretAccessKey: generated.secretAccessKey,
            subject: subject, issuedAt: now, expiresAt: now + Int64(duration), sessionPolicy: sessionPolicy,
            subjectId: subjectId)
        let json = try JSONEncoder().encode(claims)
        let token = Data(try sealer.seal(json, context: Self.context)).base64EncodedString()
        return TemporaryCredentials(accessKeyId: claims.accessKeyId, secretAccessKey: claims.secretAccessKey,
                                    sessionToken: token, expiration: claims.expiration)
    }

    /// The claims of `token`, which must belong to `accessKeyId` and not have expired.
    public func claims(token: String, accessKeyId: String) throws(AuthError) -> SessionClaims {
        let claims: SessionClaims
        if let cached = opened.withLock({ $0[token] }) {
            claims = cached
        } else {
            guard let sealed = Data(base64Encoded: token),
                  let json = try? sealer.open(sealed, context: Self.context),
                  let decoded = try? JSONDecoder().decode(SessionClaims.self, from: Data(json))
            else { throw .unrecognizedClient }
            claims = decoded
            opened.withLock { cache in
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[token] = decoded
            }
        }
        guard ConstantTime.equal(claims.accessKeyId, accessKeyId) else { throw .unrecognizedClient }
        guard Int64(clock().timeIntervalSince1970) < claims.expiresAt else { throw .expiredToken }
        return claims
    }
}
