/// The members of CreateSchedule and UpdateSchedule (AWS's names; `Name` comes from the path). Dates are
/// seconds since 1970, as the REST-JSON protocol sends timestamps.
public struct ScheduleRequest: Sendable, Codable, Equatable {
    public var GroupName: String?
    public var ScheduleExpression: String?
    public var StartDate: Double?
    public var EndDate: Double?
    public var Description: String?
    public var ScheduleExpressionTimezone: String?
    public var State: String?
    public var KmsKeyArn: String?
    public var Target: ScheduleTarget?
    public var FlexibleTimeWindow: FlexibleTimeWindow?
    public var ClientToken: String?
    public var ActionAfterCompletion: String?

    public init(GroupName: String? = nil, ScheduleExpression: String? = nil, StartDate: Double? = nil, EndDate: Double? = nil,
                Description: String? = nil, ScheduleExpressionTimezone: String? = nil, State: String? = nil,
                KmsKeyArn: String? = nil, Target: ScheduleTarget? = nil, FlexibleTimeWindow: FlexibleTimeWindow? = nil,
                ClientToken: String? = nil, ActionAfterCompletion: String? = nil) {
        self.GroupName = GroupName
        self.ScheduleExpression = ScheduleExpression
        self.StartDate = StartDate
        self.EndDate = EndDate
        self.Description = Description
        self.ScheduleExpressionTimezone = ScheduleExpressionTimezone
        self.State = State
        self.KmsKeyArn = KmsKeyArn
        self.Target = Target
        self.FlexibleTimeWindow = FlexibleTimeWindow
        self.ClientToken = ClientToken
        self.ActionAfterCompletion = ActionAfterCompletion
    }
}
