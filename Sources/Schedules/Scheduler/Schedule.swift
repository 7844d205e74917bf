import Foundation

/// A Scheduler schedule as stored: what the caller set (validated) and what the service keeps about it.
public struct Schedule: Sendable, Codable, Equatable {
    public var name: String
    public var groupName: String
    public var arn: String
    public var scheduleExpression: String
    /// IANA name; nil means UTC.
    public var scheduleExpressionTimezone: String?
    public var startDate: Date?
    public var endDate: Date?
    public var description: String?
    /// `ENABLED` or `DISABLED`.
    public var state: String
    public var kmsKeyArn: String?
    public var target: ScheduleTarget
    public var flexibleTimeWindow: FlexibleTimeWindow
    /// `NONE` or `DELETE`.
    public var actionAfterCompletion: String
    public var creationDate: Date
    public var lastModificationDate: Date
    /// The `ClientToken` of the request that created it (a retry with the same token succeeds again).
    public var clientToken: String?
    /// Ms since 1970 from which a rate schedule's periods count (its StartDate, or when it was created or updated).
    public var anchor: Int64

    public var isEnabled: Bool { state == "ENABLED" }

    public var timeZone: TimeZone {
        scheduleExpressionTimezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
    }
}
