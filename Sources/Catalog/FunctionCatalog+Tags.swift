extension FunctionCatalog {
    /// The function a taggable ARN names. Only unqualified function ARNs take tags.
    func taggedFunction(_ arn: String) throws(LambdaError) -> String {
        let id = try FunctionIdentifier.parse(arn, field: "resource")
        guard arn.hasPrefix("arn:"), id.qualifier == nil else {
            throw .validation(field: "resource", value: arn,
                              constraint: "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+")
        }
        // Another region's or account's function is not one of ours, whatever its name.
        guard id.region == arns.region, id.accountId == arns.accountId else { throw .functionNotFound(arn) }
        return id.name
    }

    public func tags(ofResource arn: String) async throws -> [String: String] {
        let name = try taggedFunction(arn)
        guard let tags = try await store.tags(ofFunction: name) else {
            throw LambdaError.functionNotFound(arns.function(name))
        }
        return tags
    }

    public func tags(ofFunction name: String) async throws -> [String: String] {
        try await store.tags(ofFunction: name) ?? [:]
    }

    public func tagResource(_ arn: String, tags: [String: String]) async throws {
        let name = try taggedFunction(arn)
        if tags.isEmpty {
            throw LambdaError.invalidParameter("Tags must not be empty.")
        }
        try FieldValidator.tags(tags)
        try await updateTags(name, set: tags, remove: [])
    }

    public func untagResource(_ arn: String, keys: [String]) async throws {
        let name = try taggedFunction(arn)
        try await updateTags(name, set: [:], remove: keys)
    }

    private func updateTags(_ name: String, set: [String: String], remove: [String]) async throws {
        do {
            try await store.updateTags(ofFunction: name, set: set, remove: remove, limit: FieldValidator.maxTags)
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(name))
        } catch is TagLimitExceeded {
            throw LambdaError.invalidParameter("Number of tags exceeds resource tag limit of \(FieldValidator.maxTags).")
        }
    }
}
