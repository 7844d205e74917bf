import Crypto

/// Builds SigV4 canonical requests and strings to sign.
public enum CanonicalRequest {
    /// The canonical URI of a non-S3 service: dot segments and empty segments removed,
    /// then the already-encoded path encoded once more (botocore's `quote(path, safe='/~')`).
    public static func canonicalURI(rawPath: String) -> String {
        let path = rawPath.isEmpty ? "/" : rawPath
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { if !segments.isEmpty { segments.removeLast() }; continue }
            segments.append(segment)
        }
        var normalized = path.hasPrefix("/") ? "/" : ""
        normalized += segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
        return URIEncoding.encode(normalized, keepSlash: true)
    }

    /// The canonical query string: each name and value decoded, re-encoded strictly, sorted by name then value.
    /// `excluding` drops a parameter (the signature itself in presigned URLs).
    public static func canonicalQuery(rawQuery: String, excluding: String? = nil) -> String {
        var pairs: [(String, String)] = []
        for (name, value) in QueryString.parse(rawQuery) where name != excluding {
            pairs.append((URIEncoding.encode(name), URIEncoding.encode(value)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// A header value as SigV4 canonicalises it: trimmed, runs of spaces collapsed to one. Works on the UTF-8 bytes
    /// (session tokens are hundreds of bytes long and signed on every request) and returns the value itself when
    /// there is nothing to change.
    public static func canonicalHeaderValue(_ value: String) -> String {
        let bytes = value.utf8
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        var clean = bytes.first.map { !isBlank($0) } ?? true
        if clean, let last = bytes.last, isBlank(last) { clean = false }
        if clean {
            var previousBlank = false
            for b in bytes {
                let blank = isBlank(b)
                if blank && (previousBlank || b == 0x09) { clean = false; break }
                previousBlank = blank
            }
        }
        if clean { return value }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for b in bytes {
            if isBlank(b) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical request text. Returns nil when a signed header is missing from the request.
    public static func build(
        request: SignableRequest,
        signedHeaders: [String],
        payloadHash: String,
        excludingQuery: String? = nil
    ) -> String? {
        var lines = [request.method.uppercased(), canonicalURI(rawPath: request.rawPath),
                     canonicalQuery(rawQuery: request.rawQuery, excluding: excludingQuery)]
        var headerBlock = ""
        for name in signedHeaders {
            guard let value = request.header(name) else { return nil }
            // Each comma-separated value is canonicalised on its own; most values (a session token) have none.
            let values = value.utf8.contains(UInt8(ascii: ",")) ? value.split(separator: ",", omittingEmptySubsequences: false)
                .map { canonicalHeaderValue(String($0)) }.joined(separator: ",") : canonicalHeaderValue(value)
            headerBlock += "\(name):\(values)\n"
        }
        lines.append(headerBlock)
        lines.append(signedHeaders.joined(separator: ";"))
        lines.append(payloadHash)
        return lines.joined(separator: "\n")
    }

    /// `AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256 of canonical request>`.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Hex.sha256(canonicalRequest))"
    }
}
