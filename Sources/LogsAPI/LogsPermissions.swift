import AWSProtocol
import CloudWatchLogs
import Foundation

/// The IAM permission each operation needs: `logs:<Operation>` on the log group's ARN (`…:log-group:<name>:*`; a
/// stream operation on the stream's ARN), with the group's tags as `aws:ResourceTag/…` and the tags a request sets
/// as `aws:RequestTag/…`. DescribeLogGroups is authorized on `*` of the account, as AWS does.
extension LogsService {
    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        let operation = Self.operation(request)
        let action = "logs:" + operation
        let members = try? JSONDecoder().decode(LogsMembers.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body))
        let arns = directory.arns
        if operation == "DescribeLogGroups" || operation == "TestMetricFilter"
            || (operation == "DescribeMetricFilters" && members?.logGroupName == nil) {
            return [RequiredPermission(action: action, resource: "arn:aws:logs:\(arns.region):\(arns.accountId):log-group:*")]
        }
        if operation == "StartLiveTail", let identifiers = members?.logGroupIdentifiers, !identifiers.isEmpty {
            return identifiers.map { RequiredPermission(action: action, resource: arns.groupWildcard(arns.groupName(fromARN: $0) ?? $0)) }
        }
        let name = members?.logGroupName ?? (members?.logGroupIdentifier ?? members?.resourceArn).map { arns.groupName(fromARN: $0) ?? $0 }
        guard let name else { return [RequiredPermission(action: action, resource: "*")] }
        let resource: String
        switch operation {
        case "CreateLogStream", "DeleteLogStream", "PutLogEvents", "GetLogEvents":
            resource = members?.logStreamName.map { arns.stream(group: name, stream: $0) } ?? arns.groupWildcard(name)
        default:
            resource = arns.groupWildcard(name)
        }
        var permission = RequiredPermission(action: action, resource: resource)
        if operation != "CreateLogGroup", let group = try? await directory.store.logGroup(named: name) {
            for (key, value) in group.tags { permission.context["aws:ResourceTag/" + key] = [value] }
        }
        if let tags = members?.tags, case .map(let set) = tags {
            for (key, value) in set { permission.context["aws:RequestTag/" + key] = [value] }
            if !set.isEmpty { permission.context["aws:TagKeys"] = set.keys.sorted() }
        }
        if let keys = members?.tagKeys { permission.context["aws:TagKeys"] = keys }
        return [permission]
    }
}

/// The members that name what a Logs request acts on.
struct LogsMembers: Decodable {
    var logGroupName: String?
    var logGroupIdentifier: String?
    /// StartLiveTail's groups.
    var logGroupIdentifiers: [String]?
    var logStreamName: String?
    var resourceArn: String?
    var tags: TagsMember?
    var tagKeys: [String]?

    /// `tags` is a map (CreateLogGroup, TagResource, TagLogGroup) or a list of keys (UntagLogGroup).
    enum TagsMember: Decodable {
        case map([String: String])
        case keys([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let map = try? container.decode([String: String].self) { self = .map(map) } else { self = .keys(try container.decode([String].self)) }
        }
    }
}
