import CloudWatchLogs

// Subscription filters' requests and responses (`SubscriptionFilter` is the domain's shape).

struct PutSubscriptionFilterRequest: Decodable {
    var logGroupName: String
    var filterName: String
    var filterPattern: String
    var destinationArn: String
    var roleArn: String?
    var distribution: String?
}

struct DeleteSubscriptionFilterRequest: Decodable {
    var logGroupName: String
    var filterName: String
}

struct DescribeSubscriptionFiltersRequest: Decodable {
    var logGroupName: String
    var filterNamePrefix: String?
    var limit: Int?
    var nextToken: String?
}

struct DescribeSubscriptionFiltersResponse: Encodable {
    var subscriptionFilters: [SubscriptionFilter]
    var nextToken: String?
}
