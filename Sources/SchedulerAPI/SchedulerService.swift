import AWSProtocol
import Foundation
import Schedules

/// EventBridge Scheduler's REST-JSON API (signing name `scheduler`) over a `ScheduleDirectory`: decodes the
/// request shapes, calls the directory, encodes AWS's response shapes.
public struct SchedulerService: Sendable {
    public static let schedulerSigningName = "scheduler"
    static let maxPageSize = 100

    let directory: ScheduleDirectory

    public init(directory: ScheduleDirectory) {
        self.directory = directory
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        guard let route = SchedulerRoute.match(method: request.method, segments: request.pathSegments) else {
            throw AWSError.unknownOperation("\(request.method) \(request.rawPath)")
        }
        switch route {
        case .createSchedule(let name):
            let input = try decode(ScheduleRequest.self, from: request)
            return try .json(ScheduleArnOutput(ScheduleArn: try await directory.createSchedule(name: name, input)))
        case .updateSchedule(let name):
            let input = try decode(ScheduleRequest.self, from: request)
            return try .json(ScheduleArnOutput(ScheduleArn: try await directory.updateSchedule(name: name, input)))
        case .getSchedule(let name):
            return try .json(GetScheduleOutput(try await directory.schedule(name: name, group: request.queryValue("groupName"))))
        case .deleteSchedule(let name):
            try await directory.deleteSchedule(name: name, group: request.queryValue("groupName"))
            return try .json(EmptyOutput())
        case .listSchedules:
            let schedules = try await directory.schedules(group: request.queryValue("ScheduleGroup"),
                                                          namePrefix: request.queryValue("NamePrefix"),
                                                          state: request.queryValue("State"))
            let (page, next) = try self.page(schedules, request) { "\($0.groupName)/\($0.name)" }
            return try .json(ListSchedulesOutput(NextToken: next, Schedules: page.map(ScheduleSummary.init)))
        case .createScheduleGroup(let name):
            let input = try decode(CreateScheduleGroupInput.self, from: request)
            let tags = try Self.tagMap(input.Tags)
            let arn = try await directory.createGroup(name: name, tags: tags, clientToken: input.ClientToken)
            return try .json(CreateScheduleGroupOutput(ScheduleGroupArn: arn))
        case .getScheduleGroup(let name):
            return try .json(ScheduleGroupSummary(try await directory.group(name: name)))
        case .deleteScheduleGroup(let name):
            try await directory.deleteGroup(name: name)
            return try .json(EmptyOutput())
        case .listScheduleGroups:
            let groups = try await directory.groups(namePrefix: request.queryValue("NamePrefix"))
            let (page, next) = try self.page(groups, request) { $0.name }
            return try .json(ListScheduleGroupsOutput(NextToken: next, ScheduleGroups: page.map(ScheduleGroupSummary.init)))
        case .tagResource(let arn):
            let input = try decode(TagResourceInput.self, from: request)
            guard let tags = input.Tags else {
                throw SchedulerError.validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
            }
            try await directory.tag(arn, with: try Self.tagMap(tags))
            return try .json(EmptyOutput())
        case .untagResource(let arn):
            try await directory.untag(arn, keys: request.queryValues("TagKeys"))
            return try .json(EmptyOutput())
        case .listTagsForResource(let arn):
            let tags = try await directory.tags(of: arn)
            return try .json(ListTagsForResourceOutput(Tags: tags.sorted { $0.key < $1.key }.map { Tag(Key: $0.key, Value: $0.value) }))
        }
    }

    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        SchedulerPermissions.required(for: request, region: directory.region, accountId: directory.accountId)
    }

    public static func operationName(method: String, segments: [String]) -> String? {
        SchedulerRoute.match(method: method, segments: segments)?.operationName
    }

    static func tagMap(_ tags: [Tag]?) throws(SchedulerError) -> [String: String] {
        var map: [String: String] = [:]
        for tag in tags ?? [] { map[tag.Key] = tag.Value }
        return map
    }

    /// A page after `NextToken` (the key of the previous page's last item), at most `MaxResults` (1-100) long.
    func page<Item>(_ items: [Item], _ request: APIRequest, key: (Item) -> String) throws -> ([Item], String?) {
        var limit = Self.maxPageSize
        if let raw = request.queryValue("MaxResults") {
            guard let value = Int(raw), (1...Self.maxPageSize).contains(value) else {
                throw SchedulerError.validation("1 validation error detected: Value '\(raw)' at 'maxResults' failed to satisfy constraint: "
                                                + "Member must have value between 1 and 100")
            }
            limit = value
        }
        var rest = items[...]
        if let token = request.queryValue("NextToken") {
            let decoded = Data(base64Encoded: token).map { String(decoding: $0, as: UTF8.self) }
            guard let decoded else { throw SchedulerError.validation("Invalid NextToken.") }
            rest = items[(items.firstIndex { key($0) > decoded } ?? items.endIndex)...]
        }
        let page = Array(rest.prefix(limit))
        let next = rest.count > limit ? page.last.map { Data(key($0).utf8).base64EncodedString() } : nil
        return (page, next)
    }

    func decode<T: Decodable>(_ type: T.Type, from request: APIRequest) throws -> T {
        let body = request.body.isEmpty ? Array("{}".utf8) : request.body
        do {
            return try AWSJSON.decoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw SchedulerError.validation(Self.describe(error))
        } catch {
            throw SchedulerError.validation("The request body is not valid JSON.")
        }
    }

    /// A decoding failure in AWS's words: `Value null at 'target.roleArn' failed to satisfy constraint: …`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in
                let name = key.stringValue
                return name.prefix(1).lowercased() + name.dropFirst()
            }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "1 validation error detected: Value null at '\(path(context.codingPath + [key]))' failed to satisfy constraint: "
                + "Member must not be null"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let where_ = path(context.codingPath)
            return where_.isEmpty ? "The request body is not valid JSON." : "1 validation error detected: Value at '\(where_)' is not valid."
        @unknown default:
            return "The request body is not valid."
        }
    }
}
