/// A subscription filter as DescribeSubscriptionFilters returns it: events of a log group that match
/// `filterPattern` are sent, in batches, to `destinationArn` (a Lambda function of this server).
public struct SubscriptionFilter: Codable, Sendable, Equatable {
    public var filterName: String
    public var logGroupName: String
    public var filterPattern: String
    public var destinationArn: String
    public var roleArn: String?
    public var distribution: String
    public var applyOnTransformedLogs: Bool
    public var creationTime: Int64
}

/// Matching events of one stream on their way to a subscription's destination.
public struct SubscriptionBatch: Sendable {
    public struct Event: Sendable, Equatable {
        public var id: String
        public var timestamp: Int64
        public var message: String
    }

    public var filter: SubscriptionFilter
    public var logStream: String
    public var events: [Event]
}

/// Persistence of subscription filters.
public protocol SubscriptionFilterStore: Sendable {
    func putSubscriptionFilter(_ filter: SubscriptionFilter) async throws
    func deleteSubscriptionFilter(group: String, name: String) async throws -> Bool
    func subscriptionFilters() async throws -> [SubscriptionFilter]
}
