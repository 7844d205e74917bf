extension HTTPAPIDirectory {
    /// What a tagging ARN names: an API (`arn:aws:apigateway:<region>::/apis/<id>`) or one of its stages
    /// (`…/apis/<id>/stages/<name>`).
    public enum TaggedResource: Sendable, Equatable {
        case api(String)
        case stage(apiId: String, name: String)
    }

    public func taggedResource(_ arn: String) throws(HTTPAPIError) -> TaggedResource {
        let prefix = "arn:aws:apigateway:\(region)::/apis/"
        guard arn.hasPrefix(prefix) else {
            throw .notFound(resourceType: "Resource", message: "Invalid resource ARN \(arn): expected \(prefix)<apiId>[/stages/<stageName>]")
        }
        let parts = arn.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1 where !parts[0].isEmpty: return .api(parts[0])
        case 3 where parts[1] == "stages" && !parts[0].isEmpty && !parts[2].isEmpty: return .stage(apiId: parts[0], name: parts[2])
        default: throw .notFound(resourceType: "Resource", message: "Invalid resource ARN \(arn)")
        }
    }

    public func tags(of arn: String) async throws -> [String: String] {
        switch try taggedResource(arn) {
        case .api(let id): return try await load(id).tags
        case .stage(let id, let name):
            guard let stage = try await load(id).stage(name) else { throw HTTPAPIError.missing("Stage", name) }
            return stage.tags
        }
    }

    public func tagResource(_ arn: String, tags: [String: String]) async throws {
        try Self.validateTags(tags)
        try await editTags(arn) { current in
            current.merge(tags) { _, new in new }
            try Self.validateTags(current)
        }
    }

    public func untagResource(_ arn: String, keys: [String]) async throws {
        try await editTags(arn) { current in
            for key in keys { current[key] = nil }
        }
    }

    private func editTags(_ arn: String, _ edit: @escaping (inout [String: String]) throws -> Void) async throws {
        switch try taggedResource(arn) {
        case .api(let id):
            try await mutate(id) { api, _ in try edit(&api.tags) }
        case .stage(let id, let name):
            try await mutate(id) { api, _ in
                guard let index = api.stages.firstIndex(where: { $0.stageName == name }) else { throw HTTPAPIError.missing("Stage", name) }
                try edit(&api.stages[index].tags)
            }
        }
    }

    /// At most 50 tags; keys of 1–128 characters not starting with `aws:`; values of at most 256 characters.
    static func validateTags(_ tags: [String: String]) throws(HTTPAPIError) {
        guard tags.count <= 50 else { throw .badRequest("A resource can have at most 50 tags.") }
        for (key, value) in tags {
            guard (1...128).contains(key.count), !key.lowercased().hasPrefix("aws:") else { throw .badRequest("Invalid tag key \(key).") }
            guard value.count <= 256 else { throw .badRequest("Tag values must be at most 256 characters: \(key).") }
        }
    }
}
