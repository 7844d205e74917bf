/// The parts of an HTTP request that SigV4 covers, as they arrived on the wire.
public struct SignableRequest: Sendable {
    public var method: String
    /// The path exactly as sent (still percent-encoded).
    public var rawPath: String
    /// The query string exactly as sent, without the `?`.
    public var rawQuery: String
    /// Header fields; names in any case, values as sent. `host` must be present.
    public var headers: [(name: String, value: String)]
    /// SHA-256 hex of the body as received.
    public var bodySHA256: String

    public init(method: String, rawPath: String, rawQuery: String, headers: [(name: String, value: String)], bodySHA256: String) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.bodySHA256 = bodySHA256
    }

    /// All values of a header joined by commas, as SigV4 combines repeated headers; nil when absent.
    public func header(_ name: String) -> String? {
        var found: String?
        for field in headers where Self.sameName(field.name, name) {
            found = found.map { $0 + "," + field.value } ?? field.value
        }
        return found
    }

    /// Header names compare without case (ASCII), without allocating.
    static func sameName(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where p != q {
            let lp = p >= 0x41 && p <= 0x5A ? p | 0x20 : p
            let lq = q >= 0x41 && q <= 0x5A ? q | 0x20 : q
            if lp != lq { return false }
        }
        return true
    }

    /// Query parameters decoded, in order.
    public var queryItems: [(name: String, value: String)] {
        QueryString.parse(rawQuery)
    }
}

/// Query-string parsing shared by auth and the services.
public enum QueryString {
    public static func parse(_ raw: String) -> [(name: String, value: String)] {
        guard !raw.isEmpty else { return [] }
        return raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: "=") {
                return (URIEncoding.decode(pair[..<eq], plusAsSpace: true),
                        URIEncoding.decode(pair[pair.index(after: eq)...], plusAsSpace: true))
            }
            return (URIEncoding.decode(pair, plusAsSpace: true), "")
        }
    }
}
