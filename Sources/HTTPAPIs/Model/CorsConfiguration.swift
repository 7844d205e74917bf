/// An HTTP API's CORS configuration: the data plane answers preflight requests from it and adds its headers to
/// responses (as API Gateway does, instead of the integration's own CORS headers).
public struct CorsConfiguration: Codable, Sendable, Equatable {
    public var allowCredentials: Bool?
    public var allowHeaders: [String]?
    public var allowMethods: [String]?
    public var allowOrigins: [String]?
    public var exposeHeaders: [String]?
    /// Seconds a browser may cache the preflight answer (-1…86400).
    public var maxAge: Int?

    public init(allowCredentials: Bool? = nil, allowHeaders: [String]? = nil, allowMethods: [String]? = nil,
                allowOrigins: [String]? = nil, exposeHeaders: [String]? = nil, maxAge: Int? = nil) {
        self.allowCredentials = allowCredentials
        self.allowHeaders = allowHeaders
        self.allowMethods = allowMethods
        self.allowOrigins = allowOrigins
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
    }

    /// AWS's checks: MaxAge within -1…86400, and credentials are never allowed for every origin.
    func validate() throws(HTTPAPIError) {
        if let maxAge, !(-1...86400).contains(maxAge) {
            throw .badRequest("Invalid CORS configuration: MaxAge must be between -1 and 86400.")
        }
        if allowCredentials == true, allowOrigins?.contains("*") == true {
            throw .badRequest("allow-credentials is not supported with wildcard origins.")
        }
        for method in allowMethods ?? [] where !(method == "*" || RouteKey.methods.contains(method.uppercased())) {
            throw .badRequest("Invalid CORS configuration: invalid method \(method).")
        }
    }
}
