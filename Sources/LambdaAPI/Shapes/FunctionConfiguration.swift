/// `FunctionConfiguration` as Lambda returns it.
public struct FunctionConfiguration: Codable, Sendable, Equatable {
    public var FunctionName: String
    public var FunctionArn: String
    public var Runtime: String?
    public var Role: String
    public var Handler: String?
    public var CodeSize: Int
    public var Description: String
    public var Timeout: Int
    public var MemorySize: Int
    public var LastModified: String
    public var CodeSha256: String
    public var Version: String
    public var Environment: EnvironmentResponse?
    public var TracingConfig: TracingConfigResponse
    public var RevisionId: String
    public var Layers: [Layer]?
    public var State: String
    public var StateReason: String?
    public var StateReasonCode: String?
    public var LastUpdateStatus: String
    public var PackageType: String
    public var Architectures: [String]
    public var EphemeralStorage: EphemeralStorage
    public var LoggingConfig: LoggingConfig
    public var SnapStart: SnapStartResponse
    public var DeadLetterConfig: DeadLetterConfig?
    public var KMSKeyArn: String?
}

public struct EnvironmentResponse: Codable, Sendable, Equatable {
    public var Variables: [String: String]?
}

public struct Environment: Codable, Sendable, Equatable {
    public var Variables: [String: String]?
}

public struct TracingConfig: Codable, Sendable, Equatable {
    public var Mode: String?
}

public struct TracingConfigResponse: Codable, Sendable, Equatable {
    public var Mode: String
}

public struct Layer: Codable, Sendable, Equatable {
    public var Arn: String
    public var CodeSize: Int
}

public struct EphemeralStorage: Codable, Sendable, Equatable {
    public var Size: Int
}

/// A function's CloudWatch Logs settings, in requests (members not given keep their values) and in its
/// configuration (the levels appear only with `LogFormat` JSON).
public struct LoggingConfig: Codable, Sendable, Equatable {
    public var LogFormat: String?
    public var ApplicationLogLevel: String?
    public var SystemLogLevel: String?
    public var LogGroup: String?
}

/// `SnapStart` of CreateFunction and UpdateFunctionConfiguration.
public struct SnapStart: Codable, Sendable, Equatable {
    public var ApplyOn: String?
}

public struct SnapStartResponse: Codable, Sendable, Equatable {
    public var ApplyOn: String
    public var OptimizationStatus: String
}

public struct DeadLetterConfig: Codable, Sendable, Equatable {
    public var TargetArn: String?
}
