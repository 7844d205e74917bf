import Foundation

/// What CreateAlias and UpdateAlias take; nil means "not given" on update.
public struct AliasInput: Sendable {
    public var functionVersion: String?
    public var description: String?
    /// Present when the caller sent a RoutingConfig (an empty map removes routing).
    public var additionalVersionWeights: [String: Double]?
    public var revisionId: String?

    public init(functionVersion: String?, description: String?, additionalVersionWeights: [String: Double]?, revisionId: String? = nil) {
        self.functionVersion = functionVersion
        self.description = description
        self.additionalVersionWeights = additionalVersionWeights
        self.revisionId = revisionId
    }
}

extension FunctionCatalog {
    static let aliasNamePattern = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)"

    public func aliasArn(_ alias: AliasDefinition) -> String {
        arns.function(alias.functionName, qualifier: alias.name)
    }

    /// The unqualified function name of an alias operation.
    func aliasFunction(_ functionName: String) throws -> String {
        let (id, qualifier) = try identify(functionName, qualifier: nil)
        if qualifier != nil {
            throw LambdaError.invalidParameter("Unqualified function name expected: \(functionName)")
        }
        return id.name
    }

    static func checkAliasName(_ name: String) throws(LambdaError) {
        if name.isEmpty || name.utf8.count > 128 {
            throw .validation(field: "name", value: name, constraint: "Member must have length less than or equal to 128")
        }
        if FunctionCatalog.isVersionNumber(name) || !FunctionIdentifier.isValidQualifier(name) || name == "$LATEST" {
            throw .validation(field: "name", value: name, constraint: "Member must satisfy regular expression pattern: \(aliasNamePattern)")
        }
    }

    static func checkVersionName(_ version: String, field: String) throws(LambdaError) {
        if version != "$LATEST" && !isVersionNumber(version) {
            throw .validation(field: field, value: version, constraint: "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)")
        }
    }

    /// Checks the routing of an alias: one additional version, a weight in 0–1, published versions only.
    static func checkRouting(_ weights: [String: Double], primary: String) throws(LambdaError) {
        guard !weights.isEmpty else { return }
        if weights.count > 1 {
            throw .invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1")
        }
        for (version, weight) in weights {
            try checkVersionName(version, field: "routingConfig.additionalVersionWeights")
            if !(0.0...1.0).contains(weight) || weight.isNaN {
                throw .validation(field: "routingConfig.additionalVersionWeights", value: "\(weight)",
                                  constraint: "Member must have value between 0.0 and 1.0")
            }
            if version == primary {
                throw .invalidParameter("Invalid function version \(version). Function version \(version) is already included in routing configuration.")
            }
            if version == "$LATEST" || primary == "$LATEST" {
                throw .invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version")
            }
        }
    }

    /// Maps the store's refusals of an alias write to Lambda's errors.
    private func aliasWrite(_ alias: AliasDefinition, _ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch StoreError.alreadyExists {
            throw LambdaError.resourceConflict("Alias already exists: \(aliasArn(alias))")
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(alias.functionName))
        } catch StoreError.versionNotFound(let version) {
            throw LambdaError.resourceNotFound("Function not found: \(arns.function(alias.functionName, qualifier: version))")
        } catch StoreError.revisionMismatch {
            throw LambdaError.preconditionFailed(
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
        }
    }

    /// CreateAlias.
    public func createAlias(_ functionName: String, name: String, input: AliasInput) async throws -> AliasDefinition {
        let function = try aliasFunction(functionName)
        try Self.checkAliasName(name)
        guard let version = input.functionVersion else {
            throw LambdaError.invalidParameter("FunctionVersion is a required parameter.")
        }
        try Self.checkVersionName(version, field: "functionVersion")
        if let description = input.description {
            try FieldValidator.maxLength(description, FieldValidator.maxDescriptionLength, field: "description")
        }
        let weights = input.additionalVersionWeights ?? [:]
        try Self.checkRouting(weights, primary: version)
        let alias = AliasDefinition(functionName: function, name: name, functionVersion: version,
                                    description: input.description ?? "", additionalVersionWeights: weights,
                                    revisionId: UUID().uuidString.lowercased())
        try await aliasWrite(alias) { try await store.createAlias(alias) }
        return alias
    }

    /// GetAlias.
    public func alias(_ functionName: String, name: String) async throws -> AliasDefinition {
        let function = try aliasFunction(functionName)
        guard try await store.function(named: function) != nil else {
            throw LambdaError.functionNotFound(arns.function(function))
        }
        guard let alias = try await store.alias(name, of: function) else {
            throw LambdaError.resourceNotFound("Alias not found: \(arns.function(function, qualifier: name))")
        }
        return alias
    }

    /// UpdateAlias: changes the given members; retried when another update won the race.
    public func updateAlias(_ functionName: String, name: String, input: AliasInput) async throws -> AliasDefinition {
        if let version = input.functionVersion { try Self.checkVersionName(version, field: "functionVersion") }
        if let description = input.description {
            try FieldValidator.maxLength(description, FieldValidator.maxDescriptionLength, field: "description")
        }
        for _ in 0..<16 {
            let current = try await alias(functionName, name: name)
            if let expected = input.revisionId, expected != current.revisionId {
                throw LambdaError.preconditionFailed(
                    "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
            }
            var next = current
            if let version = input.functionVersion { next.functionVersion = version }
            if let description = input.description { next.description = description }
            if let weights = input.additionalVersionWeights { next.additionalVersionWeights = weights }
            try Self.checkRouting(next.additionalVersionWeights, primary: next.functionVersion)
            next.revisionId = UUID().uuidString.lowercased()
            do {
                try await aliasWrite(next) { try await store.replaceAlias(next, expectedRevision: current.revisionId) }
                logger.info("alias updated", metadata: ["function": "\(next.functionName)", "alias": "\(name)", "version": "\(next.functionVersion)"])
                return next
            } catch LambdaError.preconditionFailed where input.revisionId == nil {
                continue
            }
        }
        throw LambdaError.resourceConflict("The operation cannot be performed at this time. An update is in progress for resource: \(arns.function(functionName, qualifier: name))")
    }

    /// DeleteAlias.
    public func deleteAlias(_ functionName: String, name: String) async throws {
        let alias = try await alias(functionName, name: name)
        try await store.deleteAlias(alias.name, of: alias.functionName)
    }

    /// ListAliases, ordered by name, optionally only those routing to `functionVersion`.
    public func listAliases(_ functionName: String, functionVersion: String?) async throws -> [AliasDefinition] {
        let function = try aliasFunction(functionName)
        if let functionVersion { try Self.checkVersionName(functionVersion, field: "functionVersion") }
        guard try await store.function(named: function) != nil else {
            throw LambdaError.functionNotFound(arns.function(function))
        }
        let aliases = try await store.aliases(of: function)
        guard let functionVersion else { return aliases }
        return aliases.filter { $0.versions.contains(functionVersion) }
    }
}
