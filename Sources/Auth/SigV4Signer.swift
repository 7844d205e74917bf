import Foundation
import AWSProtocol

/// Signs requests and builds presigned URLs (code download locations; tests).
public struct SigV4Signer: Sendable {
    public var credentials: Credentials
    public var region: String
    public var service: String

    public init(credentials: Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A presigned URL for `GET` of `rawPath` (already percent-encoded) at `baseURL` (`http://host:port`),
    /// valid for `expires` seconds from `date`.
    public func presignedURL(baseURL: String, host: String, rawPath: String, query: [(String, String)] = [],
                             date: Date = Date(), expires: Int = 600) -> String {
        let amzDate = AWSTimestamp.amzDateString(date)
        let scope = CredentialScope(accessKeyId: credentials.accessKeyId, date: String(amzDate.prefix(8)), region: region, service: service)
        var items = query
        items.append(("X-Amz-Algorithm", AuthorizationHeader.algorithm))
        items.append(("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope.scopeString)"))
        items.append(("X-Amz-Date", amzDate))
        items.append(("X-Amz-Expires", String(expires)))
        items.append(("X-Amz-SignedHeaders", "host"))
        let rawQuery = items.map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        let request = SignableRequest(method: "GET", rawPath: rawPath, rawQuery: rawQuery,
                                      headers: [("host", host)], bodySHA256: "")
        let canonical = CanonicalRequest.build(request: request, signedHeaders: ["host"], payloadHash: SigV4Verifier.unsignedPayload)!
        let signature = sign(canonical: canonical, amzDate: amzDate, scope: scope)
        return "\(baseURL)\(rawPath)?\(rawQuery)&X-Amz-Signature=\(signature)"
    }

    /// Signs a request in the header form; returns the headers to add (`X-Amz-Date`, `Authorization`).
    public func authorizationHeaders(for request: SignableRequest, date: Date = Date()) -> [(String, String)] {
        let amzDate = AWSTimestamp.amzDateString(date)
        var request = request
        request.headers.append(("x-amz-date", amzDate))
        let signedHeaders = Array(Set(request.headers.map { $0.name.lowercased() })).sorted()
        let scope = CredentialScope(accessKeyId: credentials.accessKeyId, date: String(amzDate.prefix(8)), region: region, service: service)
        let canonical = CanonicalRequest.build(request: request, signedHeaders: signedHeaders, payloadHash: request.bodySHA256)!
        let signature = sign(canonical: canonical, amzDate: amzDate, scope: scope)
        let auth = "\(AuthorizationHeader.algorithm) Credential=\(credentials.accessKeyId)/\(scope.scopeString), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
        return [("X-Amz-Date", amzDate), ("Authorization", auth)]
    }

    private func sign(canonical: String, amzDate: String, scope: CredentialScope) -> String {
        let stringToSign = CanonicalRequest.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope.scopeString)
        let key = SigningKeyCache.derive(secret: credentials.secretAccessKey, date: scope.date, region: region, service: service)
        return SigningKeyCache.signature(stringToSign, key: key)
    }
}
