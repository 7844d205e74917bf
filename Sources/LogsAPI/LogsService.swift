import AWSProtocol
import CloudWatchLogs
import Foundation

/// The CloudWatch Logs JSON 1.1 protocol (`X-Amz-Target: Logs_20140328.<Operation>`, signing name `logs`) over a
/// `LogsDirectory`.
public struct LogsService: Sendable {
    public static let logsSigningName = "logs"
    public static let targetPrefix = "Logs_20140328."

    public let directory: LogsDirectory

    public init(directory: LogsDirectory) {
        self.directory = directory
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        switch Self.operation(request) {
        case "CreateLogGroup": return try await createLogGroup(request)
        case "DeleteLogGroup": return try await deleteLogGroup(request)
        case "DescribeLogGroups": return try await describeLogGroups(request)
        case "PutRetentionPolicy": return try await putRetentionPolicy(request)
        case "DeleteRetentionPolicy": return try await deleteRetentionPolicy(request)
        case "TagResource": return try await tagResource(request)
        case "UntagResource": return try await untagResource(request)
        case "ListTagsForResource": return try await listTagsForResource(request)
        case "TagLogGroup": return try await tagLogGroup(request)
        case "UntagLogGroup": return try await untagLogGroup(request)
        case "ListTagsLogGroup": return try await listTagsLogGroup(request)
        case "CreateLogStream": return try await createLogStream(request)
        case "DeleteLogStream": return try await deleteLogStream(request)
        case "DescribeLogStreams": return try await describeLogStreams(request)
        case "PutLogEvents": return try await putLogEvents(request)
        case "GetLogEvents": return try await getLogEvents(request)
        case "FilterLogEvents": return try await filterLogEvents(request)
        case "PutMetricFilter": return try await putMetricFilter(request)
        case "DeleteMetricFilter": return try await deleteMetricFilter(request)
        case "DescribeMetricFilters": return try await describeMetricFilters(request)
        case "TestMetricFilter": return try await testMetricFilter(request)
        case "PutSubscriptionFilter": return try await putSubscriptionFilter(request)
        case "DeleteSubscriptionFilter": return try await deleteSubscriptionFilter(request)
        case "DescribeSubscriptionFilters": return try await describeSubscriptionFilters(request)
        case "StartLiveTail": return try await startLiveTail(request)
        case let other: throw LogsError.unknownOperation(other)
        }
    }

    static func operation(_ request: APIRequest) -> String {
        let target = request.header("x-amz-target") ?? ""
        return target.hasPrefix(targetPrefix) ? String(target.dropFirst(targetPrefix.count)) : target
    }

    func decode<T: Decodable>(_ type: T.Type, from request: APIRequest) throws -> T {
        let body = request.body.isEmpty ? Array("{}".utf8) : request.body
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let DecodingError.keyNotFound(key, _) {
            throw LogsError.invalidParameter("1 validation error detected: Value null at '\(key.stringValue)' failed to satisfy constraint: Member must not be null")
        } catch {
            throw LogsError.invalidParameter("The request body could not be read as \(T.self).")
        }
    }

    func json(_ value: some Encodable) throws -> APIResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return APIResponse(status: 200, headers: [("content-type", "application/x-amz-json-1.1")], body: Array(try encoder.encode(value)))
    }

    func empty() -> APIResponse {
        APIResponse(status: 200, headers: [("content-type", "application/x-amz-json-1.1")], body: Array("{}".utf8))
    }
}
