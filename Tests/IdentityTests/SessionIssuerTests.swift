import Auth
import Crypto
import Foundation
import Testing
@testable import Identity

/// Session tokens: sealed claims that open only with this data dir's key, for their own access key, until they expire.
@Suite struct SessionIssuerTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
    }

    static let sealer = SecretSealer(key: SymmetricKey(size: .bits256))

    @Test func issuedCredentialsOpenForTheirKeyUntilTheyExpire() throws {
        let clock = Clock()
        let issuer = SessionIssuer(sealer: Self.sealer, clock: { clock.now })
        let c = try issuer.issue(.role(name: "orders-fn", sessionName: "orders"), duration: 900)
        #expect(c.accessKeyId.hasPrefix("ASIA") && c.accessKeyId.count == 20)
        #expect(c.secretAccessKey.count == 40)
        #expect(c.expiration == clock.now.addingTimeInterval(900))
        let claims = try issuer.claims(token: c.sessionToken, accessKeyId: c.accessKeyId)
        #expect(claims.subject == .role(name: "orders-fn", sessionName: "orders"))
        #expect(claims.secretAccessKey == c.secretAccessKey)

        #expect(throws: AuthError.unrecognizedClient) { try issuer.claims(token: c.sessionToken, accessKeyId: "ASIAOTHEROTHEROTHER1") }
        clock.now = clock.now.addingTimeInterval(899)
        _ = try issuer.claims(token: c.sessionToken, accessKeyId: c.accessKeyId)
        clock.now = clock.now.addingTimeInterval(1)
        #expect(throws: AuthError.expiredToken) { try issuer.claims(token: c.sessionToken, accessKeyId: c.accessKeyId) }
    }

    @Test func aTokenOpensOnlyWithTheKeyThatSealedIt() throws {
        let issuer = SessionIssuer(sealer: Self.sealer)
        let c = try issuer.issue(.user(name: "ci"), duration: 3600)
        let stranger = SessionIssuer(sealer: SecretSealer(key: SymmetricKey(size: .bits256)))
        #expect(throws: AuthError.unrecognizedClient) { try stranger.claims(token: c.sessionToken, accessKeyId: c.accessKeyId) }
        var bytes = Array(Data(base64Encoded: c.sessionToken)!)
        bytes[bytes.count / 2] ^= 1
        #expect(throws: AuthError.unrecognizedClient) {
            try issuer.claims(token: Data(bytes).base64EncodedString(), accessKeyId: c.accessKeyId)
        }
        #expect(throws: AuthError.unrecognizedClient) { try issuer.claims(token: "not base64!", accessKeyId: c.accessKeyId) }
    }

    @Test func theServerCapShortensSessionsButNotUncappedOnes() throws {
        let issuer = SessionIssuer(sealer: Self.sealer, maxDuration: 60)
        let start = Date()
        #expect(try issuer.issue(.root, duration: 3600).expiration.timeIntervalSince(start) <= 61)
        #expect(try issuer.issue(.root, duration: 3600, capped: false).expiration.timeIntervalSince(start) >= 3599)
    }

    @Test func aSealedSecretOpensOnlyInItsContext() throws {
        let sealed = try Self.sealer.sealString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", context: "AKIAEXAMPLE")
        #expect(try Self.sealer.openString(sealed, context: "AKIAEXAMPLE") == "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        #expect(throws: SecretSealerError.self) { try Self.sealer.openString(sealed, context: "AKIAOTHER") }
        #expect(!String(decoding: sealed, as: UTF8.self).contains("EXAMPLEKEY"))
    }
}
