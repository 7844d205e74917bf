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
    /// The authenticated caller; nil only where a test builds a request by hand.
    public var caller: CallerIdentity?

    public init(method: String, rawPath: String, pathSegments: [String], query: [(name: String, value: String)],
                headers: [(name: String, value: String)], body: [UInt8], baseURL: String, host: String, requestId: String,
                caller: CallerIdentity? = nil) {
        self.caller = caller
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
    /// A body produced while it is sent (chunked transfer, each write flushed); `body` is then ignored.
    public var stream: (@Sendable (any ResponseStreamWriter) async throws -> Void)?

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

    /// A response whose body `write` produces while it is sent.
    public static func streaming(status: Int = 200, headers: [(name: String, value: String)],
                                 _ write: @escaping @Sendable (any ResponseStreamWriter) async throws -> Void) -> APIResponse {
        var response = APIResponse(status: status, headers: headers)
        response.stream = write
        return response
    }

    /// An empty response (204 and the like).
    public static func empty(status: Int) -> APIResponse {
        APIResponse(status: status)
    }
}

/// A permission an operation needs: the IAM action, the resource it acts on, and what conditions may test.
/// Each service declares these per operation; the Edge asks the authorizer before the service runs.
public struct RequiredPermission: Sendable, Equatable {
    /// `service:Operation`, e.g. `lambda:InvokeFunction`.
    public var action: String
    /// The resource's ARN, or `*` for actions on no particular resource.
    public var resource: String
    /// Service-specific condition keys (`lambda:FunctionArn`, `aws:RequestTag/env`, …) and their values.
    public var context: [String: [String]]
    /// The resource's own policy (a Lambda function policy, a queue policy), as JSON, when it has one.
    public var resourcePolicy: String?

    public init(action: String, resource: String, context: [String: [String]] = [:], resourcePolicy: String? = nil) {
        self.action = action
        self.resource = resource
        self.context = context
        self.resourcePolicy = resourcePolicy
    }
}

/// Who sent a request, as the services that answer about the caller (GetCallerIdentity, GetUser) see it.
public struct CallerIdentity: Sendable, Equatable {
    public var arn: String
    public var accountId: String
    /// `aws:userid`: the account id for root, `AIDA…` for a user, `AROA…:<session>` for a role session.
    public var userId: String
    /// Set for IAM users (and their GetSessionToken sessions).
    public var userName: String?
    /// Set for role sessions: the role's name.
    public var roleName: String?
    public var accessKeyId: String
    public var isRoot: Bool

    public init(arn: String, accountId: String, userId: String, userName: String? = nil, roleName: String? = nil,
                accessKeyId: String, isRoot: Bool) {
        self.arn = arn
        self.accountId = accountId
        self.userId = userId
        self.userName = userName
        self.roleName = roleName
        self.accessKeyId = accessKeyId
        self.isRoot = isRoot
    }
}
