import AWSProtocol
import CloudWatchLogs

/// Metric filters: put, describe, delete, test.
extension LogsService {
    func putMetricFilter(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutMetricFilterRequest.self, from: request)
        try await directory.putMetricFilter(group: input.logGroupName, name: input.filterName, pattern: input.filterPattern,
                                            transformations: input.metricTransformations)
        return empty()
    }

    func deleteMetricFilter(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DeleteMetricFilterRequest.self, from: request)
        try await directory.deleteMetricFilter(group: input.logGroupName, name: input.filterName)
        return empty()
    }

    func describeMetricFilters(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DescribeMetricFiltersRequest.self, from: request)
        let (filters, next) = try await directory.describeMetricFilters(
            group: input.logGroupName, namePrefix: input.filterNamePrefix, metricName: input.metricName,
            metricNamespace: input.metricNamespace, limit: input.limit, nextToken: input.nextToken)
        return try json(DescribeMetricFiltersResponse(metricFilters: filters, nextToken: next))
    }

    func testMetricFilter(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(TestMetricFilterRequest.self, from: request)
        let matches = try directory.testMetricFilter(pattern: input.filterPattern, messages: input.logEventMessages)
        return try json(TestMetricFilterResponse(matches: matches.map {
            MetricFilterMatchRecord(eventNumber: $0.eventNumber, eventMessage: $0.message, extractedValues: $0.extracted)
        }))
    }
}
