/// A rule's target as PutTargets sets it (the members this platform acts on: Lambda functions, SQS queues, SNS
/// topics and event buses). Coded with AWS's member names, so the wire hands it back as the caller set it.
public struct EventTarget: Sendable, Codable, Equatable {
    public var Id: String
    public var Arn: String
    public var RoleArn: String?
    public var Input: String?
    public var InputPath: String?
    public var InputTransformer: TargetInputTransformer?
    public var SqsParameters: TargetSqsParameters?
    public var DeadLetterConfig: TargetDeadLetterConfig?
    public var RetryPolicy: TargetRetryPolicy?

    public init(Id: String, Arn: String, RoleArn: String? = nil, Input: String? = nil, InputPath: String? = nil,
                InputTransformer: TargetInputTransformer? = nil, SqsParameters: TargetSqsParameters? = nil,
                DeadLetterConfig: TargetDeadLetterConfig? = nil, RetryPolicy: TargetRetryPolicy? = nil) {
        self.Id = Id
        self.Arn = Arn
        self.RoleArn = RoleArn
        self.Input = Input
        self.InputPath = InputPath
        self.InputTransformer = InputTransformer
        self.SqsParameters = SqsParameters
        self.DeadLetterConfig = DeadLetterConfig
        self.RetryPolicy = RetryPolicy
    }
}

/// Values taken from the event by JSON paths, put into a template (`<name>`).
public struct TargetInputTransformer: Sendable, Codable, Equatable {
    public var InputPathsMap: [String: String]?
    public var InputTemplate: String

    public init(InputPathsMap: [String: String]? = nil, InputTemplate: String) {
        self.InputPathsMap = InputPathsMap
        self.InputTemplate = InputTemplate
    }
}

/// FIFO queue targets: the message group of every message the target sends.
public struct TargetSqsParameters: Sendable, Codable, Equatable {
    public var MessageGroupId: String?

    public init(MessageGroupId: String? = nil) {
        self.MessageGroupId = MessageGroupId
    }
}

/// The SQS queue that takes events the target could not take.
public struct TargetDeadLetterConfig: Sendable, Codable, Equatable {
    public var Arn: String?

    public init(Arn: String? = nil) {
        self.Arn = Arn
    }
}

/// How long and how often a target is retried: MaximumRetryAttempts 0–185, MaximumEventAgeInSeconds 60–86400.
public struct TargetRetryPolicy: Sendable, Codable, Equatable {
    public var MaximumRetryAttempts: Int?
    public var MaximumEventAgeInSeconds: Int?

    public init(MaximumRetryAttempts: Int? = nil, MaximumEventAgeInSeconds: Int? = nil) {
        self.MaximumRetryAttempts = MaximumRetryAttempts
        self.MaximumEventAgeInSeconds = MaximumEventAgeInSeconds
    }
}
