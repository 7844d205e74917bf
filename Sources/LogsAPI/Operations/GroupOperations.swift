import AWSProtocol
import CloudWatchLogs

/// Log groups: create, delete, describe, retention, tags.
extension LogsService {
    func createLogGroup(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(CreateLogGroupRequest.self, from: request)
        if let kind = input.logGroupClass, !["STANDARD", "INFREQUENT_ACCESS"].contains(kind) {
            throw LogsError.invalidParameter("1 validation error detected: Value '\(kind)' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS]")
        }
        try await directory.createLogGroup(name: input.logGroupName, tags: input.tags ?? [:])
        return empty()
    }

    func deleteLogGroup(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DeleteLogGroupRequest.self, from: request)
        try await directory.deleteLogGroup(name: input.logGroupName)
        return empty()
    }

    func describeLogGroups(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DescribeLogGroupsRequest.self, from: request)
        let (groups, next) = try await directory.describeLogGroups(
            prefix: input.logGroupNamePrefix, pattern: input.logGroupNamePattern, limit: input.limit, nextToken: input.nextToken)
        return try json(DescribeLogGroupsResponse(logGroups: groups.map { LogGroupShape($0, arns: directory.arns) }, nextToken: next))
    }

    func putRetentionPolicy(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutRetentionPolicyRequest.self, from: request)
        try await directory.putRetentionPolicy(group: input.logGroupName, days: input.retentionInDays)
        return empty()
    }

    func deleteRetentionPolicy(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(DeleteRetentionPolicyRequest.self, from: request)
        try await directory.deleteRetentionPolicy(group: input.logGroupName)
        return empty()
    }

    func tagResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(TagResourceRequest.self, from: request)
        try await directory.tagLogGroup(name: try directory.groupName(fromARN: input.resourceArn), tags: input.tags)
        return empty()
    }

    func untagResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(UntagResourceRequest.self, from: request)
        try await directory.untagLogGroup(name: try directory.groupName(fromARN: input.resourceArn), keys: input.tagKeys)
        return empty()
    }

    func listTagsForResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(ListTagsForResourceRequest.self, from: request)
        let group = try await directory.logGroup(name: try directory.groupName(fromARN: input.resourceArn))
        return try json(TagsResponse(tags: group.tags))
    }

    func tagLogGroup(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(TagLogGroupRequest.self, from: request)
        try await directory.tagLogGroup(name: input.logGroupName, tags: input.tags)
        return empty()
    }

    func untagLogGroup(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(UntagLogGroupRequest.self, from: request)
        try await directory.untagLogGroup(name: input.logGroupName, keys: input.tags)
        return empty()
    }

    func listTagsLogGroup(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(ListTagsLogGroupRequest.self, from: request)
        return try json(TagsResponse(tags: try await directory.logGroup(name: input.logGroupName).tags))
    }

    /// `logGroupName` or `logGroupIdentifier` (a name or a log group ARN), exactly one.
    func groupName(_ name: String?, identifier: String?) throws -> String {
        switch (name, identifier) {
        case (let name?, nil): return name
        case (nil, let identifier?):
            return directory.arns.groupName(fromARN: identifier) ?? identifier
        case (.some, .some):
            throw LogsError.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
        case (nil, nil):
            throw LogsError.invalidParameter("Should provide either name or ARN of the log group.")
        }
    }
}
