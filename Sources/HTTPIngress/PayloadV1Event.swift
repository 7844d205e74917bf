import AWSProtocol

/// The event of payload format version 1.0 (HTTP API integrations and REQUEST authorizers that ask for it), as the
/// API Gateway developer guide documents it. Absent values are written as `null`, as API Gateway writes them.
struct PayloadV1Event: Encodable {
    var type: String?
    var methodArn: String?
    var identitySource: String?
    var resource: String
    var path: String
    var httpMethod: String
    var headers: [String: String]
    var multiValueHeaders: [String: [String]]
    var queryStringParameters: [String: String]?
    var multiValueQueryStringParameters: [String: [String]]?
    var requestContext: RequestContext
    var pathParameters: [String: String]?
    var stageVariables: [String: String]?
    var body: String?
    var isBase64Encoded: Bool

    struct RequestContext: Encodable {
        var accountId: String
        var apiId: String
        var authorizer: JSONValue?
        var domainName: String
        var domainPrefix: String
        var extendedRequestId: String
        var httpMethod: String
        var identity: Identity
        var path: String
        var `protocol`: String
        var requestId: String
        var requestTime: String
        var requestTimeEpoch: Int64
        var resourceId: String
        var resourcePath: String
        var stage: String

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(accountId, forKey: .accountId)
            try c.encode(apiId, forKey: .apiId)
            if let authorizer { try c.encode(authorizer, forKey: .authorizer) }
            try c.encode(domainName, forKey: .domainName)
            try c.encode(domainPrefix, forKey: .domainPrefix)
            try c.encode(extendedRequestId, forKey: .extendedRequestId)
            try c.encode(httpMethod, forKey: .httpMethod)
            try c.encode(identity, forKey: .identity)
            try c.encode(path, forKey: .path)
            try c.encode(`protocol`, forKey: .protocol)
            try c.encode(requestId, forKey: .requestId)
            try c.encode(requestTime, forKey: .requestTime)
            try c.encode(requestTimeEpoch, forKey: .requestTimeEpoch)
            try c.encode(resourceId, forKey: .resourceId)
            try c.encode(resourcePath, forKey: .resourcePath)
            try c.encode(stage, forKey: .stage)
        }

        enum CodingKeys: String, CodingKey {
            case accountId, apiId, authorizer, domainName, domainPrefix, extendedRequestId, httpMethod, identity, path
            case `protocol`, requestId, requestTime, requestTimeEpoch, resourceId, resourcePath, stage
        }
    }

    /// `requestContext.identity`: what HTTP APIs know of the caller (most fields are always null for them).
    struct Identity: Encodable {
        var sourceIp: String
        var userAgent: String

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            for key in [CodingKeys.accessKey, .accountId, .caller, .cognitoAuthenticationProvider, .cognitoAuthenticationType,
                        .cognitoIdentityId, .cognitoIdentityPoolId, .principalOrgId] {
                try c.encodeNil(forKey: key)
            }
            try c.encode(sourceIp, forKey: .sourceIp)
            try c.encodeNil(forKey: .user)
            try c.encode(userAgent, forKey: .userAgent)
            try c.encodeNil(forKey: .userArn)
        }

        enum CodingKeys: String, CodingKey {
            case accessKey, accountId, caller, cognitoAuthenticationProvider, cognitoAuthenticationType, cognitoIdentityId
            case cognitoIdentityPoolId, principalOrgId, sourceIp, user, userAgent, userArn
        }
    }

    init(request: IngressRequest, facts: RequestFacts, resource: String, stage: String, apiId: String, accountId: String,
         domainName: String, pathParameters: [String: String], stageVariables: [String: String], authorizer: JSONValue?) {
        self.resource = resource
        self.path = request.decodedPath
        self.httpMethod = request.method
        var single: [String: String] = [:]
        for (name, values) in facts.multiValueHeaders { single[name] = values.last }
        self.headers = single
        self.multiValueHeaders = facts.multiValueHeaders
        self.queryStringParameters = facts.multiValueQuery.isEmpty ? nil : facts.multiValueQuery.compactMapValues(\.last)
        self.multiValueQueryStringParameters = facts.multiValueQuery.isEmpty ? nil : facts.multiValueQuery
        self.requestContext = RequestContext(
            accountId: accountId, apiId: apiId, authorizer: authorizer, domainName: domainName,
            domainPrefix: String(domainName.prefix { $0 != "." }), extendedRequestId: request.requestId,
            httpMethod: request.method, identity: Identity(sourceIp: request.sourceIp, userAgent: facts.userAgent),
            path: request.decodedPath, protocol: request.httpVersion, requestId: request.requestId, requestTime: facts.time,
            requestTimeEpoch: facts.timeEpochMs, resourceId: resource, resourcePath: resource, stage: stage)
        self.pathParameters = pathParameters.isEmpty ? nil : pathParameters
        self.stageVariables = stageVariables.isEmpty ? nil : stageVariables
        self.body = facts.body
        self.isBase64Encoded = facts.isBase64Encoded
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("1.0", forKey: .version)
        if let type { try c.encode(type, forKey: .type) }
        if let methodArn { try c.encode(methodArn, forKey: .methodArn) }
        if let identitySource { try c.encode(identitySource, forKey: .identitySource) }
        try c.encode(resource, forKey: .resource)
        try c.encode(path, forKey: .path)
        try c.encode(httpMethod, forKey: .httpMethod)
        try c.encode(headers, forKey: .headers)
        try c.encode(multiValueHeaders, forKey: .multiValueHeaders)
        try c.encode(queryStringParameters, forKey: .queryStringParameters)
        try c.encode(multiValueQueryStringParameters, forKey: .multiValueQueryStringParameters)
        try c.encode(requestContext, forKey: .requestContext)
        try c.encode(pathParameters, forKey: .pathParameters)
        try c.encode(stageVariables, forKey: .stageVariables)
        if type == nil {
            try c.encode(body, forKey: .body)
            try c.encode(isBase64Encoded, forKey: .isBase64Encoded)
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, type, methodArn, identitySource, resource, path, httpMethod, headers, multiValueHeaders
        case queryStringParameters, multiValueQueryStringParameters, requestContext, pathParameters, stageVariables, body
        case isBase64Encoded
    }
}
