import AWSProtocol
import Foundation
import Testing
@testable import Auth

/// Requests signed by botocore 1.43 (SigV4Auth, service `lambda`, us-east-1) with the documented example key,
/// checked byte for byte by our verifier.
@Suite struct SigV4VerifierTests {
    static let credentials = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let amzDate = "20261124T070710Z"
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func verifier(now: String = amzDate, region: String = "us-east-1") -> SigV4Verifier {
        let date = AWSTimestamp.parseAmzDate(now)!
        return SigV4Verifier(credentials: StaticCredentialLookup([credentials]), region: region, clock: { date })
    }

    static func request(method: String, path: String, query: String, signature: String, signedHeaders: String = "host;x-amz-date",
                        extraHeaders: [(String, String)] = [], bodyHash: String = emptyHash) -> SignableRequest {
        var headers: [(name: String, value: String)] = [
            ("host", "127.0.0.1:8900"),
            ("x-amz-date", amzDate),
            ("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-east-1/lambda/aws4_request, SignedHeaders=\(signedHeaders), Signature=\(signature)"),
            ("user-agent", "Botocore/1.43.11"),
        ]
        headers += extraHeaders.map { (name: $0.0, value: $0.1) }
        return SignableRequest(method: method, rawPath: path, rawQuery: query, headers: headers, bodySHA256: bodyHash)
    }

    static let listWithEncodedMarker = request(
        method: "GET", path: "/2015-03-31/functions/", query: "Marker=a%2Bb%2F%3D&MaxItems=10",
        signature: "a51c2e108094d74350c0b7c8a0aad3e45d5fb37a0765702cb23370744c65fde5")
    static let untagWithEncodedPathAndKeys = request(
        method: "DELETE", path: "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Ahello",
        query: "tagKeys=a%20b&tagKeys=c%3Ad",
        signature: "66e637d9cc28e4f9e74e0121c98a0cd18a42a0223a3c9109dcf6e7c74a38c77b")
    static let createWithBody = request(
        method: "POST", path: "/2015-03-31/functions", query: "",
        signature: "4ccf16d35f7333ecc5e1b762607b92e2ece125d49ffdbb88d58855473604f6bf",
        signedHeaders: "content-type;host;x-amz-date", extraHeaders: [("content-type", "application/json")],
        bodyHash: Hex.sha256(#"{"FunctionName":"x"}"#))

    @Test func acceptsBotocoreSignatures() throws {
        for request in [Self.listWithEncodedMarker, Self.untagWithEncodedPathAndKeys, Self.createWithBody] {
            let caller = try Self.verifier().verify(request, service: "lambda")
            #expect(caller.accessKeyId == "AKIDEXAMPLE")
        }
    }

    @Test func tamperedBodyIsRejected() {
        var request = Self.createWithBody
        request.bodySHA256 = Hex.sha256(#"{"FunctionName":"y"}"#)
        #expect(throws: AuthError.signatureMismatch) { try Self.verifier().verify(request, service: "lambda") }
    }

    @Test func tamperedQueryIsRejected() {
        var request = Self.listWithEncodedMarker
        request.rawQuery = "Marker=a%2Bb%2F%3D&MaxItems=11"
        #expect(throws: AuthError.signatureMismatch) { try Self.verifier().verify(request, service: "lambda") }
    }

    @Test func unknownKeyIsUnrecognized() {
        let verifier = SigV4Verifier(credentials: StaticCredentialLookup([]), region: "us-east-1",
                                     clock: { AWSTimestamp.parseAmzDate(Self.amzDate)! })
        #expect(throws: AuthError.unrecognizedClient) { try verifier.verify(Self.listWithEncodedMarker, service: "lambda") }
    }

    @Test func skewedClockIsExpired() throws {
        do {
            _ = try Self.verifier(now: "20261124T071300Z").verify(Self.listWithEncodedMarker, service: "lambda")
            Issue.record("expected an error")
        } catch {
            let aws = error.awsError
            #expect(aws.code == "InvalidSignatureException")
            #expect(aws.status == 403)
            #expect(aws.message.hasPrefix("Signature expired: 20261124T070710Z is now earlier than 20261124T070800Z"))
        }
        // Within five minutes either way is fine.
        _ = try Self.verifier(now: "20261124T071200Z").verify(Self.listWithEncodedMarker, service: "lambda")
        _ = try Self.verifier(now: "20261124T070300Z").verify(Self.listWithEncodedMarker, service: "lambda")
        #expect(throws: AuthError.self) {
            try Self.verifier(now: "20261124T070000Z").verify(Self.listWithEncodedMarker, service: "lambda")
        }
    }

    @Test func wrongRegionOrServiceIsRejected() {
        #expect(throws: AuthError.self) { try Self.verifier(region: "eu-west-1").verify(Self.listWithEncodedMarker, service: "lambda") }
        #expect(throws: AuthError.self) { try Self.verifier().verify(Self.listWithEncodedMarker, service: "sqs") }
    }

    @Test func missingAuthentication() {
        let request = SignableRequest(method: "GET", rawPath: "/2015-03-31/functions/", rawQuery: "",
                                      headers: [("host", "x")], bodySHA256: Self.emptyHash)
        #expect(throws: AuthError.missingAuthentication) { try Self.verifier().verify(request, service: "lambda") }
    }

    @Test func declaredPayloadHashMustMatchBody() {
        let request = Self.request(method: "GET", path: "/", query: "", signature: "00",
                                   extraHeaders: [("x-amz-content-sha256", String(repeating: "a", count: 64))])
        #expect(throws: AuthError.payloadHashMismatch) { try Self.verifier().verify(request, service: "lambda") }
    }

    @Test func presignedURLVerifiesAndExpires() throws {
        let signedAt = AWSTimestamp.parseAmzDate(Self.amzDate)!
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "lambda")
        let url = signer.presignedURL(baseURL: "http://h:1", host: "h:1", rawPath: "/_swiftlet/code/f/abc", date: signedAt, expires: 600)
        let query = String(url.split(separator: "?", maxSplits: 1)[1])
        let request = SignableRequest(method: "GET", rawPath: "/_swiftlet/code/f/abc", rawQuery: query,
                                      headers: [("host", "h:1")], bodySHA256: Self.emptyHash)
        _ = try Self.verifier(now: "20261124T071000Z").verify(request, service: "lambda")
        #expect(throws: AuthError.presignedExpired) {
            try Self.verifier(now: "20261124T071800Z").verify(request, service: "lambda")
        }
        var other = request
        other.rawPath = "/_swiftlet/code/g/abc"
        #expect(throws: AuthError.signatureMismatch) { try Self.verifier(now: "20261124T071000Z").verify(other, service: "lambda") }
    }

    @Test func headerSignerRoundTrips() throws {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "lambda")
        let base = SignableRequest(method: "PUT", rawPath: "/2015-03-31/functions/f/configuration", rawQuery: "",
                                   headers: [("host", "127.0.0.1:1")], bodySHA256: Hex.sha256("{}"))
        var signed = base
        for (name, value) in signer.authorizationHeaders(for: base, date: AWSTimestamp.parseAmzDate(Self.amzDate)!) {
            signed.headers.append((name.lowercased(), value))
        }
        _ = try Self.verifier().verify(signed, service: "lambda")
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd"))
        #expect(!ConstantTime.equal("abc", "ab"))
    }
}
