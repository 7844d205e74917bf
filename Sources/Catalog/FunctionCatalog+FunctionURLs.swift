import AWSProtocol
import Foundation

/// What Create/UpdateFunctionUrlConfig take; nil means "not given" (Update keeps the current value).
public struct FunctionURLInput: Sendable {
    public var authType: String?
    /// Replaces the whole CORS configuration when given.
    public var cors: FunctionURLCors?
    public var invokeMode: String?

    public init(authType: String?, cors: FunctionURLCors? = nil, invokeMode: String? = nil) {
        self.authType = authType
        self.cors = cors
        self.invokeMode = invokeMode
    }
}

extension FunctionCatalog {
    static let urlQualifierPattern = "((?!^\\d+$)^[0-9a-zA-Z-_]+$)"
    static let urlQualifierNamePattern = "(^\\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))"
    static let noSuchFunctionURL = LambdaError.resourceNotFound("The resource you requested does not exist.")
    static let noSuchFunction = LambdaError.resourceNotFound("Function does not exist")

    /// The function and alias a URL config operation names (from the name or the `Qualifier` parameter). Lambda
    /// gives URLs to the unqualified function and to aliases only: `$LATEST` and version numbers are refused.
    func functionURLTarget(_ functionName: String, qualifier: String?) throws -> (name: String, qualifier: String?) {
        let (id, effective) = try identify(functionName, qualifier: qualifier)
        if let effective {
            if effective == "$LATEST" {
                throw LambdaError.validation(field: "qualifier", value: effective,
                                             constraint: "Member must satisfy regular expression pattern: \(Self.urlQualifierPattern)")
            }
            if Self.isVersionNumber(effective) {
                throw LambdaError.validation(field: "qualifier", value: effective,
                                             constraint: "Member must satisfy regular expression pattern: \(Self.urlQualifierNamePattern)")
            }
        }
        return (id.name, effective)
    }

    /// Checks the members Lambda's model constrains, naming the first that fails as Lambda does.
    func validate(_ input: FunctionURLInput) throws {
        if let authType = input.authType { try FieldValidator.oneOf(authType, FunctionURLConfig.authTypes, field: "authType") }
        if let mode = input.invokeMode { try FieldValidator.oneOf(mode, FunctionURLConfig.invokeModes, field: "invokeMode") }
        guard let cors = input.cors else { return }
        func list(_ values: [String]?, field: String, max: Int, lengths: ClosedRange<Int>) throws {
            guard let values else { return }
            let shown = "[\(values.joined(separator: ", "))]"
            if values.count > max {
                throw LambdaError.validation(field: field, value: shown, constraint: "Member must have length less than or equal to \(max)")
            }
            for value in values {
                if value.utf16.count > lengths.upperBound {
                    throw LambdaError.validation(field: field, value: shown, constraint:
                        "Member must satisfy constraint: [Member must have length less than or equal to \(lengths.upperBound)]")
                }
                if value.utf16.count < lengths.lowerBound {
                    throw LambdaError.validation(field: field, value: shown, constraint:
                        "Member must satisfy constraint: [Member must have length greater than or equal to \(lengths.lowerBound)]")
                }
            }
        }
        try list(cors.allowHeaders, field: "cors.allowHeaders", max: FunctionURLCors.maxHeaders, lengths: 0...FunctionURLCors.maxHeaderLength)
        try list(cors.allowMethods, field: "cors.allowMethods", max: FunctionURLCors.maxMethods, lengths: 0...FunctionURLCors.maxMethodLength)
        try list(cors.allowOrigins, field: "cors.allowOrigins", max: FunctionURLCors.maxOrigins, lengths: FunctionURLCors.originLengths)
        try list(cors.exposeHeaders, field: "cors.exposeHeaders", max: FunctionURLCors.maxHeaders, lengths: 0...FunctionURLCors.maxHeaderLength)
        if let maxAge = cors.maxAge { try FieldValidator.range(maxAge, FunctionURLCors.maxAgeRange, field: "cors.maxAge") }
        for method in cors.allowMethods ?? [] where !FunctionURLCors.methods.contains(method.uppercased()) {
            throw LambdaError.invalidParameter(
                "Invalid method in Cors.AllowMethods: \(method). Valid methods are \(FunctionURLCors.methods.joined(separator: ", ")).")
        }
    }

    /// The ARN a URL config reports as `FunctionArn`: qualified for an alias's URL.
    public func functionURLArn(_ config: FunctionURLConfig) -> String {
        arns.function(config.functionName, qualifier: config.qualifier)
    }

    /// CreateFunctionUrlConfig. The url id is drawn until it is free here and `isAvailable` accepts it (the
    /// endpoint registry's own reservations).
    public func createFunctionURL(function functionName: String, qualifier: String?, input: FunctionURLInput,
                                  isAvailable: (String) -> Bool = { _ in true }) async throws -> FunctionURLConfig {
        let (name, alias) = try functionURLTarget(functionName, qualifier: qualifier)
        guard let authType = input.authType else {
            throw LambdaError.invalidParameter("1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null")
        }
        try validate(input)
        guard try await store.function(named: name) != nil else { throw Self.noSuchFunction }
        if let alias, try await store.alias(alias, of: name) == nil { throw Self.noSuchFunction }
        let conflict = LambdaError.resourceConflict(
            "Failed to create function url config for [functionArn = \(arns.function(name, qualifier: alias))]. Error message:  FunctionUrlConfig exists for this Lambda function")
        if try await store.functionURL(of: name, qualifier: alias) != nil { throw conflict }
        var urlId = FunctionURLConfig.randomURLId()
        while try await store.functionURL(id: urlId) != nil || !isAvailable(urlId) {
            urlId = FunctionURLConfig.randomURLId()
        }
        let time = AWSTimestamp.lambdaString(now())
        let config = FunctionURLConfig(functionName: name, qualifier: alias, urlId: urlId, authType: authType, cors: input.cors,
                                       invokeMode: input.invokeMode ?? FunctionURLConfig.defaultInvokeMode,
                                       creationTime: time, lastModifiedTime: time)
        do {
            try await store.createFunctionURL(config)
        } catch StoreError.alreadyExists {
            throw conflict
        } catch StoreError.notFound {
            throw Self.noSuchFunction
        }
        logger.info("function URL created", metadata: ["function": "\(name)", "qualifier": "\(alias ?? "")", "urlId": "\(urlId)"])
        return config
    }

    /// GetFunctionUrlConfig.
    public func getFunctionURL(function functionName: String, qualifier: String?) async throws -> FunctionURLConfig {
        let (name, alias) = try functionURLTarget(functionName, qualifier: qualifier)
        guard let config = try await store.functionURL(of: name, qualifier: alias) else { throw Self.noSuchFunctionURL }
        return config
    }

    /// UpdateFunctionUrlConfig: changes the given members; the URL (its id) stays.
    public func updateFunctionURL(function functionName: String, qualifier: String?, input: FunctionURLInput) async throws -> FunctionURLConfig {
        let (name, alias) = try functionURLTarget(functionName, qualifier: qualifier)
        try validate(input)
        guard try await store.function(named: name) != nil else { throw Self.noSuchFunction }
        if let alias, try await store.alias(alias, of: name) == nil { throw Self.noSuchFunction }
        guard var config = try await store.functionURL(of: name, qualifier: alias) else { throw Self.noSuchFunctionURL }
        if let authType = input.authType { config.authType = authType }
        if let cors = input.cors { config.cors = cors }
        if let mode = input.invokeMode { config.invokeMode = mode }
        config.lastModifiedTime = AWSTimestamp.lambdaString(now())
        do {
            try await store.replaceFunctionURL(config)
        } catch StoreError.notFound {
            throw Self.noSuchFunctionURL
        }
        return config
    }

    /// DeleteFunctionUrlConfig: returns the config deleted (its url id is to be unregistered).
    @discardableResult
    public func deleteFunctionURL(function functionName: String, qualifier: String?) async throws -> FunctionURLConfig {
        let (name, alias) = try functionURLTarget(functionName, qualifier: qualifier)
        guard let config = try await store.deleteFunctionURL(of: name, qualifier: alias) else { throw Self.noSuchFunctionURL }
        logger.info("function URL deleted", metadata: ["function": "\(name)", "qualifier": "\(alias ?? "")", "urlId": "\(config.urlId)"])
        return config
    }

    /// ListFunctionUrlConfigs: the unqualified function's config first, then the aliases' by name. The marker is the
    /// url id of the last config of the previous page; at most `maxItems` (1–50, default 50) per page.
    public func listFunctionURLs(function functionName: String, marker: String?,
                                 maxItems: Int?) async throws -> (configs: [FunctionURLConfig], nextMarker: String?) {
        let name = try identify(functionName, qualifier: nil).0.name
        if let maxItems { try FieldValidator.range(maxItems, 1...50, field: "maxItems") }
        guard try await store.function(named: name) != nil else { throw Self.noSuchFunction }
        let all = try await store.functionURLs(of: name)
        var rest = all[...]
        if let marker, !marker.isEmpty {
            guard let index = all.firstIndex(where: { $0.urlId == marker }) else {
                throw LambdaError.invalidParameter("Invalid marker: \(marker)")
            }
            rest = all[all.index(after: index)...]
        }
        let limit = maxItems ?? 50
        let page = Array(rest.prefix(limit))
        return (page, rest.count > limit ? page.last?.urlId : nil)
    }

    /// The config of `id`, nil when there is none. With the server's `CachingStore` this is a memory lookup (the
    /// index is kept right by every write), so the ingress may call it for every request.
    public func functionURL(id: String) async throws -> FunctionURLConfig? {
        guard FunctionURLConfig.isURLId(id) else { return nil }
        return try await store.functionURL(id: id)
    }

    /// Every config (the ingress registers their endpoints at startup).
    public func allFunctionURLs() async throws -> [FunctionURLConfig] {
        try await store.allFunctionURLs()
    }

    /// The configs a function (however named) has, for unregistering their endpoints when it is deleted; empty
    /// when the name is not a function's.
    public func functionURLs(ofFunction functionName: String) async -> [FunctionURLConfig] {
        guard let id = try? FunctionIdentifier.parse(functionName) else { return [] }
        return (try? await store.functionURLs(of: id.name)) ?? []
    }

    /// The config of a function's alias, if any (read before the alias is deleted, to unregister its endpoint).
    public func functionURL(ofFunction functionName: String, alias: String) async -> FunctionURLConfig? {
        guard let id = try? FunctionIdentifier.parse(functionName) else { return nil }
        return try? await store.functionURL(of: id.name, qualifier: alias)
    }
}
