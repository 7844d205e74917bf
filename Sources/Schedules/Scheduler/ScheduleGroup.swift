import Foundation

/// A schedule group: schedules live in one (`default` unless named), tags live on groups.
public struct ScheduleGroup: Sendable, Codable, Equatable {
    public var name: String
    public var arn: String
    public var creationDate: Date
    public var lastModificationDate: Date
    public var tags: [String: String]
    public var clientToken: String?

    public init(name: String, arn: String, creationDate: Date, lastModificationDate: Date, tags: [String: String] = [:],
                clientToken: String? = nil) {
        self.name = name
        self.arn = arn
        self.creationDate = creationDate
        self.lastModificationDate = lastModificationDate
        self.tags = tags
        self.clientToken = clientToken
    }
}
