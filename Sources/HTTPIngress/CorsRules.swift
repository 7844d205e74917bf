/// A CORS configuration as the platform applies it (function URLs' `Cors`, HTTP APIs' `CorsConfiguration`):
/// preflight requests are answered without invoking anything, and matching origins get the headers on responses.
/// The configuration's headers replace any of the same name the function returned.
struct CorsRules: Sendable, Equatable {
    var allowOrigins: [String] = []
    var allowMethods: [String] = []
    var allowHeaders: [String] = []
    var exposeHeaders: [String] = []
    var maxAge: Int?
    var allowCredentials = false

    /// Whether `request` is a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
    static func isPreflight(_ request: IngressRequest) -> Bool {
        request.method == "OPTIONS" && request.header("origin") != nil && request.header("access-control-request-method") != nil
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, nil when it is not allowed.
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin else { return nil }
        if allowOrigins.contains("*") { return allowCredentials ? origin : "*" }
        return allowOrigins.contains { $0.caseInsensitiveCompare(origin) == .orderedSame } ? origin : nil
    }

    /// The headers answering a preflight from `request` (none when its origin or method is not allowed).
    func preflightHeaders(_ request: IngressRequest) -> [(name: String, value: String)] {
        guard let origin = allowedOrigin(request.header("origin")),
              let method = request.header("access-control-request-method") else { return [] }
        let methodAllowed = allowMethods.contains("*") || allowMethods.contains { $0.caseInsensitiveCompare(method) == .orderedSame }
        guard methodAllowed else { return [] }
        var headers: [(name: String, value: String)] = [("Access-Control-Allow-Origin", origin)]
        if origin != "*" { headers.append(("Vary", "Origin")) }
        headers.append(("Access-Control-Allow-Methods", allowMethods.contains("*") ? method : allowMethods.joined(separator: ",")))
        if !allowHeaders.isEmpty {
            let requested = request.header("access-control-request-headers")
            let value = allowHeaders.contains("*") ? (requested ?? "*") : allowHeaders.joined(separator: ",")
            headers.append(("Access-Control-Allow-Headers", value))
        }
        if let maxAge { headers.append(("Access-Control-Max-Age", String(maxAge))) }
        if allowCredentials { headers.append(("Access-Control-Allow-Credentials", "true")) }
        return headers
    }

    /// `headers` of an ordinary response with the CORS headers for `origin` in place of the function's own.
    func applied(to headers: [(name: String, value: String)], origin: String?) -> [(name: String, value: String)] {
        guard let allowed = allowedOrigin(origin) else { return headers }
        var result = headers.filter { !$0.name.lowercased().hasPrefix("access-control-") }
        result.append(("Access-Control-Allow-Origin", allowed))
        if allowed != "*" { result.append(("Vary", "Origin")) }
        if !exposeHeaders.isEmpty { result.append(("Access-Control-Expose-Headers", exposeHeaders.joined(separator: ","))) }
        if allowCredentials { result.append(("Access-Control-Allow-Credentials", "true")) }
        return result
    }
}
