import Foundation

/// PutSubscriptionFilter, DescribeSubscriptionFilters, DeleteSubscriptionFilter.
extension LogsDirectory {
    func subscriptionStore() throws(LogsError) -> any SubscriptionFilterStore {
        guard let subscriptionFilterStore else { throw .invalidOperation("Subscription filters are not served here.") }
        return subscriptionFilterStore
    }

    public func loadSubscriptionFilters() async throws {
        let store = try subscriptionStore()
        try await filterReloads.run { subscriptionFilters.replace(with: try await store.subscriptionFilters()) }
    }

    public func putSubscriptionFilter(group: String, name: String, pattern: String, destinationArn: String, roleArn: String?,
                                      distribution: String?) async throws {
        try LogNaming.validateGroupName(group)
        guard !name.isEmpty, name.count <= 512, !name.contains(":"), !name.contains("*") else {
            throw LogsError.invalidParameter("1 validation error detected: Value '\(name)' at 'filterName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*")
        }
        _ = try FilterPattern(parsing: pattern)
        if let distribution, !["Random", "ByLogStream"].contains(distribution) {
            throw LogsError.invalidParameter("1 validation error detected: Value '\(distribution)' at 'distribution' failed to satisfy constraint: Member must satisfy enum value set: [Random, ByLogStream]")
        }
        let parts = destinationArn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[0] == "arn", parts[2] == "lambda", parts[5] == "function" else {
            throw LogsError.invalidParameter("Invalid destinationArn \(destinationArn): Swiftlet delivers subscriptions to Lambda functions of this server.")
        }
        guard try await store.logGroup(named: group) != nil else { throw LogsError.logGroupNotFound }
        let existing = try await subscriptionStore().subscriptionFilters().filter { $0.logGroupName == group }
        if !existing.contains(where: { $0.filterName == name }), existing.count >= 2 {
            throw LogsError.limitExceeded("Resource limit exceeded.")
        }
        try await subscriptionStore().putSubscriptionFilter(SubscriptionFilter(
            filterName: name, logGroupName: group, filterPattern: pattern, destinationArn: destinationArn, roleArn: roleArn,
            distribution: distribution ?? "ByLogStream", applyOnTransformedLogs: false, creationTime: clock()))
        try await loadSubscriptionFilters()
    }

    public func deleteSubscriptionFilter(group: String, name: String) async throws {
        try LogNaming.validateGroupName(group)
        guard try await subscriptionStore().deleteSubscriptionFilter(group: group, name: name) else {
            throw LogsError.resourceNotFound("The specified subscription filter does not exist.")
        }
        try await loadSubscriptionFilters()
    }

    public func describeSubscriptionFilters(group: String, namePrefix: String?, limit: Int?, nextToken: String?) async throws
        -> (filters: [SubscriptionFilter], nextToken: String?) {
        try LogNaming.validateGroupName(group)
        guard try await store.logGroup(named: group) != nil else { throw LogsError.logGroupNotFound }
        let pageSize = try Self.limit(limit, max: 50)
        let all = try await subscriptionStore().subscriptionFilters()
            .filter { $0.logGroupName == group && (namePrefix.map($0.filterName.hasPrefix) ?? true) }
            .sorted { $0.filterName < $1.filterName }
        var offset = 0
        if let nextToken {
            guard let n = Int(nextToken), n >= 0, n <= all.count else { throw LogsError.invalidParameter("The specified nextToken is invalid.") }
            offset = n
        }
        let page = Array(all[offset..<min(all.count, offset + pageSize)])
        return (page, offset + page.count < all.count ? String(offset + page.count) : nil)
    }
}
