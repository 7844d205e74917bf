/// A schedule's `Target`, with AWS's member names (the wire module encodes and decodes it as is).
public struct ScheduleTarget: Sendable, Codable, Equatable {
    public var Arn: String
    public var RoleArn: String
    public var Input: String?
    public var RetryPolicy: ScheduleRetryPolicy?
    public var DeadLetterConfig: ScheduleDeadLetterConfig?
    public var SqsParameters: ScheduleSqsParameters?
    public var EventBridgeParameters: ScheduleEventBridgeParameters?

    public init(Arn: String, RoleArn: String, Input: String? = nil, RetryPolicy: ScheduleRetryPolicy? = nil,
                DeadLetterConfig: ScheduleDeadLetterConfig? = nil, SqsParameters: ScheduleSqsParameters? = nil,
                EventBridgeParameters: ScheduleEventBridgeParameters? = nil) {
        self.Arn = Arn
        self.RoleArn = RoleArn
        self.Input = Input
        self.RetryPolicy = RetryPolicy
        self.DeadLetterConfig = DeadLetterConfig
        self.SqsParameters = SqsParameters
        self.EventBridgeParameters = EventBridgeParameters
    }

    /// AWS's defaults when the target sets no retry policy: 185 retries within 24 hours.
    public static let defaultMaximumRetryAttempts = 185
    public static let defaultMaximumEventAgeInSeconds = 86_400

    /// The retry policy with AWS's defaults filled in (as GetSchedule returns it).
    public var effectiveRetryPolicy: ScheduleRetryPolicy {
        ScheduleRetryPolicy(MaximumEventAgeInSeconds: self.RetryPolicy?.MaximumEventAgeInSeconds ?? Self.defaultMaximumEventAgeInSeconds,
                            MaximumRetryAttempts: self.RetryPolicy?.MaximumRetryAttempts ?? Self.defaultMaximumRetryAttempts)
    }
}

/// `RetryPolicy` of a target.
public struct ScheduleRetryPolicy: Sendable, Codable, Equatable {
    public var MaximumEventAgeInSeconds: Int?
    public var MaximumRetryAttempts: Int?

    public init(MaximumEventAgeInSeconds: Int? = nil, MaximumRetryAttempts: Int? = nil) {
        self.MaximumEventAgeInSeconds = MaximumEventAgeInSeconds
        self.MaximumRetryAttempts = MaximumRetryAttempts
    }
}

/// `DeadLetterConfig`: an SQS queue.
public struct ScheduleDeadLetterConfig: Sendable, Codable, Equatable {
    public var Arn: String?
}

/// `SqsParameters`.
public struct ScheduleSqsParameters: Sendable, Codable, Equatable {
    public var MessageGroupId: String?
}

/// `EventBridgeParameters`.
public struct ScheduleEventBridgeParameters: Sendable, Codable, Equatable {
    public var DetailType: String
    public var Source: String
}

