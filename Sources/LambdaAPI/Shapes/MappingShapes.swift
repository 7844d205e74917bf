public struct ScalingConfig: Codable, Sendable, Equatable {
    public var MaximumConcurrency: Int?
}

public struct FilterCriteria: Codable, Sendable, Equatable {
    public var Filters: [Filter]?
}

public struct Filter: Codable, Sendable, Equatable {
    public var Pattern: String?
}

/// Body of Create/UpdateEventSourceMapping.
public struct EventSourceMappingRequest: Codable, Sendable {
    public var EventSourceArn: String?
    public var FunctionName: String?
    public var Enabled: Bool?
    public var BatchSize: Int?
    public var MaximumBatchingWindowInSeconds: Int?
    public var FunctionResponseTypes: [String]?
    public var ScalingConfig: ScalingConfig?
    public var FilterCriteria: FilterCriteria?
    public var StartingPosition: String?
}

/// `EventSourceMappingConfiguration`.
public struct EventSourceMappingConfiguration: Codable, Sendable, Equatable {
    public var UUID: String
    public var BatchSize: Int
    public var MaximumBatchingWindowInSeconds: Int
    public var EventSourceArn: String
    public var FunctionArn: String
    /// Epoch seconds.
    public var LastModified: Double
    public var State: String
    public var StateTransitionReason: String
    public var FunctionResponseTypes: [String]
    public var ScalingConfig: ScalingConfig?
    public var FilterCriteria: FilterCriteria?
    public var EventSourceMappingArn: String
}

public struct ListEventSourceMappingsResponse: Codable, Sendable {
    public var EventSourceMappings: [EventSourceMappingConfiguration]
    public var NextMarker: String?
}
