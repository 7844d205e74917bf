extension HTTPAPIDirectory {
    /// CreateAuthorizer. REQUEST authorizers run a Lambda function (the data plane invokes them); JWT authorizers
    /// are stored and returned but Swiftlet's data plane does not verify tokens.
    public func createAuthorizer(_ apiId: String, _ input: AuthorizerInput) async throws -> Authorizer {
        guard let text = input.authorizerType else { throw HTTPAPIError.badRequest("AuthorizerType is required.") }
        guard let type = AuthorizerType(rawValue: text) else { throw HTTPAPIError.badRequest("Invalid AuthorizerType \(text).") }
        guard let name = input.name else { throw HTTPAPIError.badRequest("Name is required.") }
        return try await mutate(apiId) { api, _ in
            let sources = input.identitySource ?? []
            var authorizer = Authorizer(
                authorizerId: ResourceIDs.childId(avoiding: api.authorizers.map(\.authorizerId)), name: name, authorizerType: type,
                identitySource: sources,
                // Caching needs identity sources (they are the cache key); JWT authorizers do not cache.
                authorizerResultTtlInSeconds: type == .request && !sources.isEmpty ? Authorizer.defaultResultTtlSeconds : 0)
            try Self.apply(input, to: &authorizer)
            api.authorizers.append(authorizer)
            return authorizer
        }
    }

    public func getAuthorizer(_ apiId: String, _ authorizerId: String) async throws -> Authorizer {
        let api = try await load(apiId)
        guard let authorizer = api.authorizer(authorizerId) else { throw HTTPAPIError.missing("Authorizer", authorizerId) }
        return authorizer
    }

    public func listAuthorizers(_ apiId: String) async throws -> [Authorizer] {
        try await load(apiId).authorizers
    }

    public func updateAuthorizer(_ apiId: String, _ authorizerId: String, _ input: AuthorizerInput) async throws -> Authorizer {
        try await mutate(apiId) { api, _ in
            guard let index = api.authorizers.firstIndex(where: { $0.authorizerId == authorizerId }) else {
                throw HTTPAPIError.missing("Authorizer", authorizerId)
            }
            var authorizer = api.authorizers[index]
            if let text = input.authorizerType {
                guard let type = AuthorizerType(rawValue: text) else { throw HTTPAPIError.badRequest("Invalid AuthorizerType \(text).") }
                if type != authorizer.authorizerType,
                   let route = api.routes.first(where: { $0.authorizerId == authorizerId }) {
                    throw HTTPAPIError.badRequest("Cannot change the type of Authorizer '\(authorizerId)', is referenced in Route: \(route.routeKey)")
                }
                authorizer.authorizerType = type
            }
            try Self.apply(input, to: &authorizer)
            api.authorizers[index] = authorizer
            return authorizer
        }
    }

    /// Refused while a route uses the authorizer, as on AWS.
    public func deleteAuthorizer(_ apiId: String, _ authorizerId: String) async throws {
        try await mutate(apiId) { api, _ in
            guard api.authorizer(authorizerId) != nil else { throw HTTPAPIError.missing("Authorizer", authorizerId) }
            if let route = api.routes.first(where: { $0.authorizerId == authorizerId }) {
                throw HTTPAPIError.badRequest("Cannot delete Authorizer '\(authorizerId)', is referenced in Route: \(route.routeKey)")
            }
            api.authorizers.removeAll { $0.authorizerId == authorizerId }
        }
    }

    /// Applies the fields (not the type) and checks the whole authorizer with AWS's rules for HTTP APIs.
    static func apply(_ input: AuthorizerInput, to authorizer: inout Authorizer) throws(HTTPAPIError) {
        if let name = input.name { authorizer.name = name }
        if let uri = input.authorizerUri { authorizer.authorizerUri = uri.isEmpty ? nil : uri }
        if let sources = input.identitySource { authorizer.identitySource = sources }
        if let version = input.authorizerPayloadFormatVersion { authorizer.authorizerPayloadFormatVersion = version }
        if let simple = input.enableSimpleResponses { authorizer.enableSimpleResponses = simple }
        if let ttl = input.authorizerResultTtlInSeconds { authorizer.authorizerResultTtlInSeconds = ttl }
        if let arn = input.authorizerCredentialsArn { authorizer.authorizerCredentialsArn = arn.isEmpty ? nil : arn }
        if let jwt = input.jwtConfiguration { authorizer.jwtConfiguration = jwt }
        if input.identityValidationExpression != nil {
            throw .badRequest("IdentityValidationExpression is not supported for HTTP APIs.")
        }
        try validate(authorizer)
    }

    static func validate(_ authorizer: Authorizer) throws(HTTPAPIError) {
        guard (1...128).contains(authorizer.name.count) else { throw .badRequest("Name must be between 1 and 128 characters.") }
        switch authorizer.authorizerType {
        case .request:
            guard let uri = authorizer.authorizerUri else { throw .badRequest("AuthorizerUri is required for REQUEST authorizers.") }
            guard LambdaTarget.functionArn(inInvocationURI: uri) != nil else {
                throw .badRequest("Invalid AuthorizerUri \(uri): expected arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations.")
            }
            guard let version = authorizer.authorizerPayloadFormatVersion else {
                throw .badRequest("AuthorizerPayloadFormatVersion is required for REQUEST authorizers (1.0 or 2.0).")
            }
            guard Integration.payloadFormatVersions.contains(version) else {
                throw .badRequest("Invalid AuthorizerPayloadFormatVersion \(version): supported values are 1.0 and 2.0.")
            }
            if authorizer.enableSimpleResponses, version != "2.0" {
                throw .badRequest("EnableSimpleResponses is only supported with AuthorizerPayloadFormatVersion 2.0.")
            }
            guard Authorizer.ttlRange.contains(authorizer.authorizerResultTtlInSeconds) else {
                throw .badRequest("AuthorizerResultTtlInSeconds must be between 0 and 3600.")
            }
            if authorizer.authorizerResultTtlInSeconds > 0, authorizer.identitySource.isEmpty {
                throw .badRequest("IdentitySource is required when authorizer caching is enabled (AuthorizerResultTtlInSeconds > 0).")
            }
            for source in authorizer.identitySource {
                let prefixes = ["$request.header.", "$request.querystring.", "$context.", "$stageVariables."]
                guard let prefix = prefixes.first(where: source.hasPrefix), source.count > prefix.count else {
                    throw .badRequest("Invalid identity source \(source): expected $request.header.<name>, $request.querystring.<name>, $context.<name> or $stageVariables.<name>.")
                }
            }
            if authorizer.jwtConfiguration != nil { throw .badRequest("JwtConfiguration is only supported by JWT authorizers.") }
        case .jwt:
            guard let issuer = authorizer.jwtConfiguration?.issuer, !issuer.isEmpty else {
                throw .badRequest("JwtConfiguration with an Issuer is required for JWT authorizers.")
            }
            guard authorizer.identitySource.count == 1, let source = authorizer.identitySource.first,
                  source.hasPrefix("$request.header.") || source.hasPrefix("$request.querystring.") else {
                throw .badRequest("A JWT authorizer needs exactly one identity source, $request.header.<name> or $request.querystring.<name>.")
            }
            if authorizer.authorizerUri != nil { throw .badRequest("AuthorizerUri is not supported by JWT authorizers.") }
            if authorizer.enableSimpleResponses { throw .badRequest("EnableSimpleResponses is only supported by REQUEST authorizers.") }
        }
    }
}
