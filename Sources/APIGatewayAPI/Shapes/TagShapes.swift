/// Body of TagResource.
public struct TagResourceRequest: Codable, Sendable {
    public var tags: [String: String]?
}

/// TagResource's (empty) response.
public struct TagResourceResponse: Codable, Sendable {}

/// Response of GetTags.
public struct GetTagsResponse: Codable, Sendable {
    public var tags: [String: String]
}
