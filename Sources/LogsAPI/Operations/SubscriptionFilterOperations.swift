import AWSProtocol
import CloudWatchLogs

/// Subscription filters: put, describe, delete.
extension LogsService {
    func putSubscriptionFilter(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutSubscriptionFilterRequest.self, from: request)
        try await directory.putSubscriptionFilter(group: input.logGroupName, name: input.filterName, pattern: input.filterPattern,
                                                  destinationArn: input.destinationArn, roleArn: input.roleArn,
                                                  distribution: input.distribution)
        return empty()
    }

    func deleteSubscriptionFilter(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DeleteSubscriptionFilterRequest.self, from: request)
        try await directory.deleteSubscriptionFilter(group: input.logGroupName, name: input.filterName)
        return empty()
    }

    func describeSubscriptionFilters(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DescribeSubscriptionFiltersRequest.self, from: request)
        let (filters, next) = try await directory.describeSubscriptionFilters(
            group: input.logGroupName, namePrefix: input.filterNamePrefix, limit: input.limit, nextToken: input.nextToken)
        return try json(DescribeSubscriptionFiltersResponse(subscriptionFilters: filters, nextToken: next))
    }
}
