/// A request as a hosted service sees it, independent of the HTTP server underneath.
public struct APIRequest: Sendable {
    public var method: String
    /// Path as sent, still percent-encoded.
    public var rawPath: String
    /// Path segments, percent-decoded.
    public var pathSegments: [String]
    /// Query parameters, percent-decoded, in order.
    public var query: [(name: String, value: String)]
    /// Header fields with lower-cased names.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// `scheme://host[:port]` the caller used to reach us, for URLs we hand back.
    public var baseURL: String
    /// The `Host` header the caller sent.
    public var host: String
    public var requestId: String

    public init(method: String, rawPath: String, pathSegments: [String], query: [(name: String, value: String)],
                headers: [(name: String, value: String)], body: [UInt8], baseURL: String, host: String, requestId: String) {
        self.method = method
        self.rawPath = rawPath
        self.pathSegments = pathSegments
        self.query = query
        self.headers = headers
        self.body = body
        self.baseURL = baseURL
        self.host = host
        self.requestId = requestId
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    /// First value of a query parameter.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// All values of a repeated query parameter.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }
}

/// A service's answer before it goes on the wire.
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body encoded from `value`.
    public static func json(_ value: some Encodable, status: Int = 200) throws -> APIResponse {
        let data = try AWSJSON.encoder().encode(value)
        return APIResponse(status: status, headers: [("content-type", "application/json")], body: Array(data))
    }

    /// An empty response (204 and the like).
    public static func empty(status: Int) -> APIResponse {
        APIResponse(status: status)
    }
}
