import Foundation

public struct DestinationTarget: Codable, Sendable, Equatable {
    public var Destination: String?
}

public struct DestinationConfig: Codable, Sendable, Equatable {
    public var OnSuccess: DestinationTarget?
    public var OnFailure: DestinationTarget?
}

/// Body of Put/UpdateFunctionEventInvokeConfig.
public struct EventInvokeConfigRequest: Codable, Sendable {
    public var MaximumRetryAttempts: Int?
    public var MaximumEventAgeInSeconds: Int?
    public var DestinationConfig: DestinationConfig?
}

/// `FunctionEventInvokeConfig`.
public struct FunctionEventInvokeConfig: Codable, Sendable, Equatable {
    /// Epoch seconds (the REST-JSON form of a timestamp).
    public var LastModified: Double
    public var FunctionArn: String
    public var MaximumRetryAttempts: Int?
    public var MaximumEventAgeInSeconds: Int?
    public var DestinationConfig: DestinationConfig?
}

public struct ListFunctionEventInvokeConfigsResponse: Codable, Sendable {
    public var FunctionEventInvokeConfigs: [FunctionEventInvokeConfig]
    public var NextMarker: String?
}
