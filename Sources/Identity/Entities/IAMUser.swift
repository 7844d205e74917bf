import Foundation

/// An IAM user: a long-term identity that signs with its access keys.
public struct IAMUser: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    /// `AIDA…`, unique for the life of the user.
    public var userId: String
    public var arn: String
    public var createDate: Date
    public var tags: [IAMTag]
    public var permissionsBoundary: String?

    public init(name: String, path: String, userId: String, arn: String, createDate: Date, tags: [IAMTag] = [],
                permissionsBoundary: String? = nil) {
        self.name = name
        self.path = path
        self.userId = userId
        self.arn = arn
        self.createDate = createDate
        self.tags = tags
        self.permissionsBoundary = permissionsBoundary
    }
}

/// A tag on an IAM user, role or policy.
public struct IAMTag: Codable, Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
