import AWSProtocol
import Events
import Foundation

/// The EventBridge JSON 1.1 protocol (`X-Amz-Target: AWSEvents.<Operation>`, signing name `events`) over an
/// `EventBridge`.
public struct EventsService: Sendable {
    public static let eventsSigningName = "events"
    public static let targetPrefix = "AWSEvents."

    public let bridge: EventBridge

    public init(bridge: EventBridge) {
        self.bridge = bridge
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        switch Self.operation(request) {
        case "PutEvents": return try await putEvents(request)
        case "CreateEventBus": return try await createEventBus(request)
        case "DescribeEventBus": return try describeEventBus(request)
        case "ListEventBuses": return try listEventBuses(request)
        case "DeleteEventBus": return try await deleteEventBus(request)
        case "PutPermission": return try await putPermission(request)
        case "RemovePermission": return try await removePermission(request)
        case "PutRule": return try await putRule(request)
        case "DescribeRule": return try describeRule(request)
        case "ListRules": return try listRules(request)
        case "EnableRule": return try await setRuleState(request, enabled: true)
        case "DisableRule": return try await setRuleState(request, enabled: false)
        case "DeleteRule": return try await deleteRule(request)
        case "ListRuleNamesByTarget": return try listRuleNamesByTarget(request)
        case "PutTargets": return try await putTargets(request)
        case "RemoveTargets": return try await removeTargets(request)
        case "ListTargetsByRule": return try listTargetsByRule(request)
        case "TagResource": return try await tagResource(request)
        case "UntagResource": return try await untagResource(request)
        case "ListTagsForResource": return try listTagsForResource(request)
        case "TestEventPattern": return try testEventPattern(request)
        case "CreateArchive": return try await createArchive(request)
        case "DescribeArchive": return try await describeArchive(request)
        case "ListArchives": return try await listArchives(request)
        case "UpdateArchive": return try await updateArchive(request)
        case "DeleteArchive": return try await deleteArchive(request)
        case "StartReplay": return try await startReplay(request)
        case "DescribeReplay": return try describeReplay(request)
        case "ListReplays": return try listReplays(request)
        case "CancelReplay": return try await cancelReplay(request)
        case let other: throw EventsError.unknownOperation(other)
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
            throw EventsError.validation("1 validation error detected: Value null at '\(Self.memberPath(key.stringValue))' failed to satisfy constraint: Member must not be null")
        } catch let DecodingError.typeMismatch(_, context) {
            throw EventsError.validation("Serialization error: '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type.")
        } catch {
            throw EventsError.validation("The request body could not be read as \(T.self).")
        }
    }

    /// `Name` → `name`, as AWS's validation messages spell members.
    static func memberPath(_ key: String) -> String {
        guard let first = key.first else { return key }
        return first.lowercased() + key.dropFirst()
    }

    func json(_ value: some Encodable) throws -> APIResponse {
        APIResponse(status: 200, headers: [("content-type", "application/x-amz-json-1.1")], body: Array(try AWSJSON.encoder().encode(value)))
    }

    func empty() -> APIResponse {
        APIResponse(status: 200, headers: [("content-type", "application/x-amz-json-1.1")], body: Array("{}".utf8))
    }

    /// A page of `items` from `NextToken` (an offset), at most `limit` (1–100).
    static func page<T>(_ items: [T], token: String?, limit: Int?) throws -> (items: [T], next: String?) {
        if let limit, !(1...100).contains(limit) {
            throw EventsError.validation("1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100")
        }
        let start: Int
        if let token {
            guard let offset = Int(token), offset >= 0, offset <= items.count else { throw EventsError.validation("The NextToken is not valid.") }
            start = offset
        } else {
            start = 0
        }
        let end = min(items.count, start + (limit ?? 100))
        return (Array(items[start..<end]), end < items.count ? String(end) : nil)
    }
}
