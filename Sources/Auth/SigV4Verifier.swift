import Foundation
import AWSProtocol

/// Who a verified request comes from and how it was scoped.
public struct VerifiedCaller: Sendable, Equatable {
    public var accessKeyId: String
    public var region: String
    public var service: String
    /// `X-Amz-Security-Token` of temporary credentials.
    public var sessionToken: String?

    public init(accessKeyId: String, region: String, service: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.region = region
        self.service = service
        self.sessionToken = sessionToken
    }
}

/// Verifies SigV4 signatures, in the `Authorization` header form and the presigned query form.
public struct SigV4Verifier: Sendable {
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    private let credentials: any CredentialLookup
    private let region: String
    private let keys: SigningKeyCache
    private let clock: @Sendable () -> Date
    /// Allowed clock difference between caller and server.
    public let maxSkew: TimeInterval

    public init(
        credentials: any CredentialLookup,
        region: String,
        keys: SigningKeyCache = SigningKeyCache(),
        maxSkew: TimeInterval = 300,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.credentials = credentials
        self.region = region
        self.keys = keys
        self.maxSkew = maxSkew
        self.clock = clock
    }

    /// Verifies `request` as a call to `service` (the signing name, e.g. `lambda`); nil accepts the
    /// service the caller scoped its signature to (for requests no hosted service claims).
    public func verify(_ request: SignableRequest, service: String?) throws(AuthError) -> VerifiedCaller {
        if let authorization = request.header("authorization") {
            return try verifyHeader(request, authorization: authorization, service: service)
        }
        if request.queryItems.contains(where: { $0.name == "X-Amz-Algorithm" }) {
            return try verifyPresigned(request, service: service)
        }
        throw .missingAuthentication
    }

    private func verifyHeader(_ request: SignableRequest, authorization: String, service: String?) throws(AuthError) -> VerifiedCaller {
        let header = try AuthorizationHeader.parse(authorization)
        let service = service ?? header.scope.service
        guard let amzDate = request.header("x-amz-date") else {
            throw .incompleteSignature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=\(authorization)")
        }
        let token = request.header("x-amz-security-token")
        let secret = try credentials.secret(forAccessKey: header.scope.accessKeyId, sessionToken: token)
        guard let signedAt = AWSTimestamp.parseAmzDate(amzDate) else {
            throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        try checkSkew(signedAt: signedAt, amzDate: amzDate)
        try checkScope(header.scope, amzDate: amzDate, service: service)
        guard header.signedHeaders.contains("host") else {
            throw .incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }

        let payloadHash: String
        if let declared = request.header("x-amz-content-sha256") {
            if declared != Self.unsignedPayload, declared.lowercased() != request.bodySHA256 {
                throw .payloadHashMismatch
            }
            payloadHash = declared
        } else {
            payloadHash = request.bodySHA256
        }
        guard let canonical = CanonicalRequest.build(request: request, signedHeaders: header.signedHeaders, payloadHash: payloadHash) else {
            throw .signatureMismatch
        }
        try checkSignature(canonical: canonical, amzDate: amzDate, scope: header.scope, secret: secret, provided: header.signature)
        return VerifiedCaller(accessKeyId: header.scope.accessKeyId, region: header.scope.region, service: header.scope.service,
                              sessionToken: token)
    }

    private func verifyPresigned(_ request: SignableRequest, service: String?) throws(AuthError) -> VerifiedCaller {
        var params: [String: String] = [:]
        for (name, value) in request.queryItems { params[name] = value }
        guard params["X-Amz-Algorithm"] == AuthorizationHeader.algorithm else {
            throw .incompleteSignature("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        var missing: [String] = []
        for name in ["X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"] where params[name] == nil {
            missing.append(name)
        }
        guard missing.isEmpty else {
            throw .incompleteSignature("AWS query-string parameters must include \(missing.map { "'\($0)'" }.joined(separator: ", ")).")
        }
        let scope = try CredentialScope.parse(params["X-Amz-Credential"]!)
        let service = service ?? scope.service
        let amzDate = params["X-Amz-Date"]!
        let token = params["X-Amz-Security-Token"]
        let secret = try credentials.secret(forAccessKey: scope.accessKeyId, sessionToken: token)
        guard let signedAt = AWSTimestamp.parseAmzDate(amzDate) else {
            throw .incompleteSignature("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
        }
        let expires = TimeInterval(params["X-Amz-Expires"].flatMap(Int.init) ?? 900)
        let now = clock()
        if now > signedAt.addingTimeInterval(expires) { throw .presignedExpired }
        if signedAt > now.addingTimeInterval(maxSkew) {
            throw .signatureNotYetCurrent(signed: amzDate, latest: AWSTimestamp.amzDateString(now.addingTimeInterval(maxSkew)),
                                          now: AWSTimestamp.amzDateString(now))
        }
        try checkScope(scope, amzDate: amzDate, service: service)
        let signedHeaders = params["X-Amz-SignedHeaders"]!.split(separator: ";").map { $0.lowercased() }
        guard let canonical = CanonicalRequest.build(
            request: request, signedHeaders: signedHeaders, payloadHash: Self.unsignedPayload, excludingQuery: "X-Amz-Signature")
        else { throw .signatureMismatch }
        try checkSignature(canonical: canonical, amzDate: amzDate, scope: scope, secret: secret, provided: params["X-Amz-Signature"]!)
        return VerifiedCaller(accessKeyId: scope.accessKeyId, region: scope.region, service: scope.service, sessionToken: token)
    }

    private func checkSkew(signedAt: Date, amzDate: String) throws(AuthError) {
        let now = clock()
        if signedAt < now.addingTimeInterval(-maxSkew) {
            throw .signatureExpired(signed: amzDate, earliest: AWSTimestamp.amzDateString(now.addingTimeInterval(-maxSkew)),
                                    now: AWSTimestamp.amzDateString(now))
        }
        if signedAt > now.addingTimeInterval(maxSkew) {
            throw .signatureNotYetCurrent(signed: amzDate, latest: AWSTimestamp.amzDateString(now.addingTimeInterval(maxSkew)),
                                          now: AWSTimestamp.amzDateString(now))
        }
    }

    private func checkScope(_ scope: CredentialScope, amzDate: String, service: String) throws(AuthError) {
        let day = String(amzDate.prefix(8))
        guard scope.date == day else {
            throw .invalidScope(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scope.date)' != '\(day)', from '\(amzDate)'.")
        }
        // IAM is global: botocore scopes it to us-east-1 whatever region the client has.
        guard scope.region == region || (service == "iam" && scope.region == "us-east-1") else {
            throw .invalidScope("Credential should be scoped to a valid region, not '\(scope.region)'. ")
        }
        guard scope.service == service else {
            throw .invalidScope("Credential should be scoped to correct service: '\(service)'. ")
        }
    }

    private func checkSignature(canonical: String, amzDate: String, scope: CredentialScope, secret: String, provided: String) throws(AuthError) {
        let stringToSign = CanonicalRequest.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope.scopeString)
        let key = keys.key(secret: secret, date: scope.date, region: scope.region, service: scope.service)
        let expected = SigningKeyCache.signature(stringToSign, key: key)
        guard ConstantTime.equal(expected, provided.lowercased()) else { throw .signatureMismatch }
    }
}

/// Comparison whose time does not depend on where two strings first differ.
public enum ConstantTime {
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
