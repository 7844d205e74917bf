import AWSProtocol

/// The event of payload format version 2.0 (function URLs, HTTP APIs; with `type`/`routeArn`/`identitySource`, a
/// REQUEST authorizer's event), as the Lambda and API Gateway developer guides document it.
struct PayloadV2Event: Encodable {
    var version = "2.0"
    var type: String?
    var routeArn: String?
    var identitySource: [String]?
    var routeKey: String
    var rawPath: String
    var rawQueryString: String
    var cookies: [String]?
    var headers: [String: String]
    var queryStringParameters: [String: String]?
    var pathParameters: [String: String]?
    var stageVariables: [String: String]?
    var requestContext: RequestContext
    var body: String?
    var isBase64Encoded: Bool?

    struct RequestContext: Encodable {
        var accountId: String
        var apiId: String
        var authorizer: Authorizer?
        var domainName: String
        var domainPrefix: String
        var http: HTTP
        var requestId: String
        var routeKey: String
        var stage: String
        var time: String
        var timeEpoch: Int64
    }

    struct HTTP: Encodable {
        var method: String
        var path: String
        var `protocol`: String
        var sourceIp: String
        var userAgent: String
    }

    struct Authorizer: Encodable {
        var iam: IAMAuthorizer?
        var lambda: [String: JSONValue]?
    }

    /// `requestContext.authorizer.iam` of a function URL with AuthType AWS_IAM.
    struct IAMAuthorizer: Encodable {
        var accessKey: String
        var accountId: String
        var callerId: String
        var cognitoIdentity: JSONValue = .null
        var principalOrgId: JSONValue = .null
        var userArn: String
        var userId: String
    }

    init(request: IngressRequest, facts: RequestFacts, routeKey: String, stage: String, apiId: String, accountId: String,
         domainName: String, pathParameters: [String: String]? = nil, stageVariables: [String: String]? = nil,
         authorizer: Authorizer? = nil, includeBody: Bool = true) {
        self.routeKey = routeKey
        self.rawPath = request.rawPath
        self.rawQueryString = request.rawQuery
        self.cookies = facts.cookies.isEmpty ? nil : facts.cookies
        self.headers = facts.headers
        self.queryStringParameters = facts.query.isEmpty ? nil : facts.query
        self.pathParameters = pathParameters.flatMap { $0.isEmpty ? nil : $0 }
        self.stageVariables = stageVariables.flatMap { $0.isEmpty ? nil : $0 }
        self.requestContext = RequestContext(
            accountId: accountId, apiId: apiId, authorizer: authorizer, domainName: domainName,
            domainPrefix: String(domainName.prefix { $0 != "." }),
            http: HTTP(method: request.method, path: request.decodedPath, protocol: request.httpVersion,
                       sourceIp: request.sourceIp, userAgent: facts.userAgent),
            requestId: request.requestId, routeKey: routeKey, stage: stage, time: facts.time, timeEpoch: facts.timeEpochMs)
        if includeBody {
            self.body = facts.body
            self.isBase64Encoded = facts.isBase64Encoded
        }
    }
}
