import Foundation
import Schedules

/// `Tag`.
struct Tag: Codable, Sendable, Equatable {
    var Key: String
    var Value: String
}

/// `CreateScheduleGroupInput` (its `Name` comes from the path).
struct CreateScheduleGroupInput: Codable, Sendable {
    var Tags: [Tag]?
    var ClientToken: String?
}

struct CreateScheduleGroupOutput: Codable, Sendable {
    var ScheduleGroupArn: String
}

/// `GetScheduleGroupOutput` and `ScheduleGroupSummary` (the same members).
struct ScheduleGroupSummary: Codable, Sendable {
    var Arn: String
    var Name: String
    var State: String
    var CreationDate: Double
    var LastModificationDate: Double

    init(_ group: ScheduleGroup) {
        Arn = group.arn
        Name = group.name
        State = "ACTIVE"
        CreationDate = group.creationDate.timeIntervalSince1970
        LastModificationDate = group.lastModificationDate.timeIntervalSince1970
    }
}

struct ListScheduleGroupsOutput: Codable, Sendable {
    var NextToken: String?
    var ScheduleGroups: [ScheduleGroupSummary]
}

struct TagResourceInput: Codable, Sendable {
    var Tags: [Tag]?
}

struct ListTagsForResourceOutput: Codable, Sendable {
    var Tags: [Tag]
}

/// The empty outputs (DeleteSchedule, DeleteScheduleGroup, TagResource, UntagResource).
struct EmptyOutput: Codable, Sendable {}
