/// A parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
public struct AuthorizationHeader: Sendable, Equatable {
    public var scope: CredentialScope
    public var signedHeaders: [String]
    public var signature: String

    public static let algorithm = "AWS4-HMAC-SHA256"
    static let algorithmPrefix = Array((algorithm + " ").utf8)

    /// Parses the header; throws `AuthError.incompleteSignature` naming what is missing.
    public static func parse(_ value: String) throws(AuthError) -> AuthorizationHeader {
        // On the UTF-8 bytes: this runs for every request, and splitting Characters cost half of verifying one.
        let bytes = Array(value.utf8)
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        var start = 0, end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        let prefix = Self.algorithmPrefix
        guard end - start >= prefix.count, Array(bytes[start..<start + prefix.count]) == prefix else {
            throw .incompleteSignature("Authorization header requires the AWS4-HMAC-SHA256 algorithm.")
        }
        var credential: String?
        var signedHeaders: String?
        var signature: String?
        var itemStart = start + prefix.count
        while itemStart <= end {
            var itemEnd = itemStart
            while itemEnd < end, bytes[itemEnd] != UInt8(ascii: ",") { itemEnd += 1 }
            var a = itemStart, b = itemEnd
            while a < b, isBlank(bytes[a]) { a += 1 }
            while b > a, isBlank(bytes[b - 1]) { b -= 1 }
            if let eq = bytes[a..<b].firstIndex(of: UInt8(ascii: "=")) {
                let key = bytes[a..<eq]
                let val = String(decoding: bytes[(eq + 1)..<b], as: UTF8.self)
                if key.elementsEqual("Credential".utf8) { credential = val }
                else if key.elementsEqual("SignedHeaders".utf8) { signedHeaders = val }
                else if key.elementsEqual("Signature".utf8) { signature = val }
            }
            itemStart = itemEnd + 1
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
            signedHeaders: signedHeaders!.utf8.split(separator: UInt8(ascii: ";")).map { String(decoding: $0, as: UTF8.self).lowercased() },
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
        let parts = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty else {
            throw .incompleteSignature("Credential should be scoped to a valid region. Credential=\(credential)")
        }
        return CredentialScope(accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3])
    }
}
