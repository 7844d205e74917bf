import AWSProtocol
import CloudWatchLogs

/// Log streams: create, delete, describe.
extension LogsService {
    func createLogStream(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(CreateLogStreamRequest.self, from: request)
        try await directory.createLogStream(group: input.logGroupName, name: input.logStreamName)
        return empty()
    }

    func deleteLogStream(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DeleteLogStreamRequest.self, from: request)
        try await directory.deleteLogStream(group: input.logGroupName, name: input.logStreamName)
        return empty()
    }

    func describeLogStreams(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DescribeLogStreamsRequest.self, from: request)
        let group = try groupName(input.logGroupName, identifier: input.logGroupIdentifier)
        let (streams, next) = try await directory.describeLogStreams(
            group: group, prefix: input.logStreamNamePrefix, orderBy: input.orderBy, descending: input.descending,
            limit: input.limit, nextToken: input.nextToken)
        return try json(DescribeLogStreamsResponse(logStreams: streams.map { LogStreamShape($0, arns: directory.arns) }, nextToken: next))
    }
}
