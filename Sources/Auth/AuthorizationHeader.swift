/// A parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
public struct AuthorizationHeader: Sendable, Equatable {
    public var scope: CredentialScope
    public var signedHeaders: [String]
    public var signature: String

    public static let algorithm = "AWS4-HMAC-SHA256"

    /// Parses the header; throws `AuthError.incompleteSignature` naming what is missing.
    public static func parse(_ value: String) throws(AuthError) -> AuthorizationHeader {
        let trimmed = value.trimmingSpaces()
        guard trimmed.hasPrefix(algorithm + " ") else {
            throw .incompleteSignature("Authorization header requires the AWS4-HMAC-SHA256 algorithm.")
        }
        var credential: String?
        var signedHeaders: String?
        var signature: String?
        for part in trimmed.dropFirst(algorithm.count + 1).split(separator: ",") {
            let item = String(part).trimmingSpaces()
            guard let eq = item.firstIndex(of: "=") else { continue }
            let key = item[..<eq]
            let val = String(item[item.index(after: eq)...])
            switch key {
            case "Credential": credential = val
            case "SignedHeaders": signedHeaders = val
            case "Signature": signature = val
            default: break
            }
        }
        var missing: [String] = []
        if credential == nil { missing.append("Credential") }
        if signedHeaders == nil { missing.append("SignedHeaders") }
        if signature == nil { missing.append("Signature") }
        if !missing.isEmpty {
            throw .incompleteSignature(
                "Authorization header requires '\(missing.joined(separator: "', '"))' parameter\(missing.count > 1 ? "s" : ""). Authorization=\(value)")
        }
        let scope = try CredentialScope.parse(credential!)
        return AuthorizationHeader(
            scope: scope,
            signedHeaders: signedHeaders!.split(separator: ";").map { $0.lowercased() },
            signature: signature!
        )
    }
}

/// `<access key>/<yyyymmdd>/<region>/<service>/aws4_request`.
public struct CredentialScope: Sendable, Equatable {
    public var accessKeyId: String
    public var date: String
    public var region: String
    public var service: String

    /// The scope string without the access key, as it appears in the string to sign.
    public var scopeString: String { "\(date)/\(region)/\(service)/aws4_request" }

    public static func parse(_ credential: String) throws(AuthError) -> CredentialScope {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty else {
            throw .incompleteSignature("Credential should be scoped to a valid region. Credential=\(credential)")
        }
        return CredentialScope(accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3])
    }
}
