import AWSProtocol

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
    // Settings of stream, Kafka, MQ and DocumentDB sources: refused for queues, so only their presence matters.
    public var StartingPositionTimestamp: JSONValue?
    public var ParallelizationFactor: JSONValue?
    public var MaximumRecordAgeInSeconds: JSONValue?
    public var BisectBatchOnFunctionError: JSONValue?
    public var MaximumRetryAttempts: JSONValue?
    public var TumblingWindowInSeconds: JSONValue?
    public var DestinationConfig: JSONValue?
    public var Topics: JSONValue?
    public var Queues: JSONValue?
    public var SourceAccessConfigurations: JSONValue?
    public var SelfManagedEventSource: JSONValue?
    public var AmazonManagedKafkaEventSourceConfig: JSONValue?
    public var SelfManagedKafkaEventSourceConfig: JSONValue?
    public var DocumentDBEventSourceConfig: JSONValue?

    /// The names of the settings given that no queue source takes.
    var streamOnlySettings: [String] {
        let given: [(String, JSONValue?)] = [
            ("StartingPositionTimestamp", StartingPositionTimestamp), ("ParallelizationFactor", ParallelizationFactor),
            ("MaximumRecordAgeInSeconds", MaximumRecordAgeInSeconds), ("BisectBatchOnFunctionError", BisectBatchOnFunctionError),
            ("MaximumRetryAttempts", MaximumRetryAttempts), ("TumblingWindowInSeconds", TumblingWindowInSeconds),
            ("DestinationConfig", DestinationConfig), ("Topics", Topics), ("Queues", Queues),
            ("SourceAccessConfigurations", SourceAccessConfigurations), ("SelfManagedEventSource", SelfManagedEventSource),
            ("AmazonManagedKafkaEventSourceConfig", AmazonManagedKafkaEventSourceConfig),
            ("SelfManagedKafkaEventSourceConfig", SelfManagedKafkaEventSourceConfig),
            ("DocumentDBEventSourceConfig", DocumentDBEventSourceConfig),
        ]
        return given.filter { $0.1 != nil }.map(\.0)
    }
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
