import Foundation

/// A mapping that polls a queue and invokes a function with batches of its messages.
public struct EventSourceMapping: Codable, Sendable, Equatable {
    public var uuid: String
    public var functionName: String
    /// Version or alias the mapping invokes (nil: unqualified).
    public var qualifier: String?
    public var eventSourceArn: String
    public var batchSize: Int
    public var maximumBatchingWindowInSeconds: Int
    public var enabled: Bool
    public var functionResponseTypes: [String]
    public var maximumConcurrency: Int?
    /// FilterCriteria's patterns, as given (nil: every message goes to the function).
    public var filterPatterns: [String]?
    public var lastModified: Date

    public init(uuid: String, functionName: String, qualifier: String?, eventSourceArn: String, batchSize: Int,
                maximumBatchingWindowInSeconds: Int, enabled: Bool, functionResponseTypes: [String], maximumConcurrency: Int?,
                filterPatterns: [String]? = nil, lastModified: Date) {
        self.uuid = uuid
        self.functionName = functionName
        self.qualifier = qualifier
        self.eventSourceArn = eventSourceArn
        self.batchSize = batchSize
        self.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds
        self.enabled = enabled
        self.functionResponseTypes = functionResponseTypes
        self.maximumConcurrency = maximumConcurrency
        self.filterPatterns = filterPatterns
        self.lastModified = lastModified
    }

    public var reportsBatchItemFailures: Bool { functionResponseTypes.contains("ReportBatchItemFailures") }
}
