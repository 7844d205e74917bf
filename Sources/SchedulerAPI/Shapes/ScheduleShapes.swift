import Foundation
import Schedules

/// `CreateScheduleOutput` and `UpdateScheduleOutput`.
struct ScheduleArnOutput: Codable, Sendable {
    var ScheduleArn: String
}

/// `GetScheduleOutput` (timestamps in seconds since 1970, as REST-JSON writes them).
struct GetScheduleOutput: Codable, Sendable {
    var Arn: String
    var GroupName: String
    var Name: String
    var ScheduleExpression: String
    var StartDate: Double?
    var EndDate: Double?
    var Description: String?
    var ScheduleExpressionTimezone: String?
    var State: String
    var CreationDate: Double
    var LastModificationDate: Double
    var KmsKeyArn: String?
    var Target: ScheduleTarget
    var FlexibleTimeWindow: FlexibleTimeWindow
    var ActionAfterCompletion: String

    init(_ schedule: Schedule) {
        Arn = schedule.arn
        GroupName = schedule.groupName
        Name = schedule.name
        ScheduleExpression = schedule.scheduleExpression
        StartDate = schedule.startDate?.timeIntervalSince1970
        EndDate = schedule.endDate?.timeIntervalSince1970
        Description = schedule.description
        ScheduleExpressionTimezone = schedule.scheduleExpressionTimezone ?? "UTC"
        State = schedule.state
        CreationDate = schedule.creationDate.timeIntervalSince1970
        LastModificationDate = schedule.lastModificationDate.timeIntervalSince1970
        KmsKeyArn = schedule.kmsKeyArn
        var target = schedule.target
        target.RetryPolicy = target.effectiveRetryPolicy
        Target = target
        FlexibleTimeWindow = schedule.flexibleTimeWindow
        ActionAfterCompletion = schedule.actionAfterCompletion
    }
}

/// `ScheduleSummary` of ListSchedules.
struct ScheduleSummary: Codable, Sendable {
    struct TargetSummary: Codable, Sendable {
        var Arn: String
    }

    var Arn: String
    var Name: String
    var GroupName: String
    var State: String
    var CreationDate: Double
    var LastModificationDate: Double
    var Target: TargetSummary

    init(_ schedule: Schedule) {
        Arn = schedule.arn
        Name = schedule.name
        GroupName = schedule.groupName
        State = schedule.state
        CreationDate = schedule.creationDate.timeIntervalSince1970
        LastModificationDate = schedule.lastModificationDate.timeIntervalSince1970
        Target = TargetSummary(Arn: schedule.target.Arn)
    }
}

struct ListSchedulesOutput: Codable, Sendable {
    var NextToken: String?
    var Schedules: [ScheduleSummary]
}
