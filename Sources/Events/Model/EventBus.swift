import Foundation

/// An event bus: `default` (always there) or one a caller created. `policy` is its resource policy (JSON), which
/// PutPermission/RemovePermission edit and which other accounts' and services' PutEvents are checked against.
public struct EventBus: Sendable, Codable, Equatable {
    public var name: String
    public var description: String?
    public var policy: String?
    /// Seconds since 1970.
    public var creationTime: Double
    public var lastModifiedTime: Double
    public var tags: [String: String]

    public init(name: String, description: String? = nil, policy: String? = nil, creationTime: Double,
                lastModifiedTime: Double? = nil, tags: [String: String] = [:]) {
        self.name = name
        self.description = description
        self.policy = policy
        self.creationTime = creationTime
        self.lastModifiedTime = lastModifiedTime ?? creationTime
        self.tags = tags
    }

    public static let defaultName = "default"
}
