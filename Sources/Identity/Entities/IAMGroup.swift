import Foundation

/// An IAM group: users in it get its policies.
public struct IAMGroup: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    /// `AGPA…`.
    public var groupId: String
    public var arn: String
    public var createDate: Date

    public init(name: String, path: String, groupId: String, arn: String, createDate: Date) {
        self.name = name
        self.path = path
        self.groupId = groupId
        self.arn = arn
        self.createDate = createDate
    }
}
