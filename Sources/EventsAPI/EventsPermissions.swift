import AWSProtocol
import Events
import Foundation

/// The IAM permission each operation needs: `events:<Operation>` on the bus (`event-bus/<name>`) or the rule
/// (`rule/<name>` on the default bus, `rule/<bus>/<name>` on others); PutEvents on every bus its entries name;
/// PutTargets with a target `RoleArn` also `iam:PassRole` on the role; archives and replays on their ARNs (and
/// CreateArchive/StartReplay on the bus or archive they read, StartReplay `events:PutEvents` on its destination). Tags become `aws:ResourceTag/…`,
/// `aws:RequestTag/…` and `aws:TagKeys`.
extension EventsService {
    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        let operation = Self.operation(request)
        let action = "events:" + operation
        let body = Data(request.body.isEmpty ? Array("{}".utf8) : request.body)
        let members = (try? JSONDecoder().decode(EventsMembers.self, from: body)) ?? EventsMembers()
        let arns = bridge.arns
        let accountWide = "arn:aws:events:\(arns.region):\(arns.accountId):"
        func bus(_ nameOrArn: String?) -> String { arns.bus(arns.busName(nameOrArn) ?? nameOrArn ?? EventBus.defaultName) }
        func rule(_ name: String?) -> String {
            guard let name else { return accountWide + "rule/*" }
            return arns.rule(RuleKey(bus: arns.busName(members.EventBusName) ?? EventBus.defaultName, name: name))
        }
        var permissions: [RequiredPermission]
        switch operation {
        case "PutEvents":
            let buses = Set((members.Entries ?? []).map { bus($0.EventBusName) })
            permissions = (buses.isEmpty ? [bus(nil)] : buses.sorted()).map { RequiredPermission(action: action, resource: $0) }
        case "CreateEventBus", "DescribeEventBus", "DeleteEventBus":
            permissions = [RequiredPermission(action: action, resource: bus(members.Name))]
        case "PutPermission", "RemovePermission":
            permissions = [RequiredPermission(action: action, resource: bus(members.EventBusName))]
        case "ListEventBuses", "TestEventPattern":
            permissions = [RequiredPermission(action: action, resource: "*")]
        case "ListRules", "ListRuleNamesByTarget":
            permissions = [RequiredPermission(action: action, resource: accountWide + "rule/*")]
        case "PutRule", "DescribeRule", "EnableRule", "DisableRule", "DeleteRule":
            permissions = [RequiredPermission(action: action, resource: rule(members.Name))]
        case "PutTargets", "RemoveTargets", "ListTargetsByRule":
            permissions = [RequiredPermission(action: action, resource: rule(members.Rule))]
            if operation == "PutTargets" {
                for role in Set((members.Targets ?? []).compactMap(\.RoleArn)).sorted() {
                    permissions.append(RequiredPermission(action: "iam:PassRole", resource: role,
                                                          context: ["iam:PassedToService": [EventBridge.servicePrincipal]]))
                }
            }
        case "CreateArchive", "DescribeArchive", "UpdateArchive", "DeleteArchive":
            permissions = [RequiredPermission(action: action, resource: members.ArchiveName.map(arns.archive) ?? accountWide + "archive/*")]
            if operation == "CreateArchive", let source = members.EventSourceArn {
                permissions.append(RequiredPermission(action: action, resource: source))
            }
        case "StartReplay", "DescribeReplay", "CancelReplay":
            permissions = [RequiredPermission(action: action, resource: members.ReplayName.map(arns.replay) ?? accountWide + "replay/*")]
            if operation == "StartReplay" {
                if let source = members.EventSourceArn { permissions.append(RequiredPermission(action: action, resource: source)) }
                if let destination = members.Destination?.Arn { permissions.append(RequiredPermission(action: "events:PutEvents", resource: destination)) }
            }
        case "ListArchives", "ListReplays":
            permissions = [RequiredPermission(action: action, resource: "*")]
        case "TagResource", "UntagResource", "ListTagsForResource":
            permissions = [RequiredPermission(action: action, resource: members.ResourceARN ?? "*")]
        default:
            permissions = [RequiredPermission(action: action, resource: "*")]
        }
        // Tags of the resource acted on, and those a request sets or removes.
        if var first = permissions.first {
            if let existing = try? bridge.tags(of: first.resource) {
                for (key, value) in existing { first.context["aws:ResourceTag/" + key] = [value] }
            }
            if let tags = members.Tags, !tags.isEmpty {
                for tag in tags { first.context["aws:RequestTag/" + tag.Key] = [tag.Value] }
                first.context["aws:TagKeys"] = tags.map(\.Key).sorted()
            }
            if let keys = members.TagKeys { first.context["aws:TagKeys"] = keys.sorted() }
            permissions[0] = first
        }
        return permissions
    }
}

/// The members that name what an EventBridge request acts on.
struct EventsMembers: Decodable {
    struct EntryMembers: Decodable {
        var EventBusName: String?
    }

    struct DestinationMembers: Decodable {
        var Arn: String?
    }

    struct TargetMembers: Decodable {
        var RoleArn: String?
    }

    var Name: String?
    var Rule: String?
    var EventBusName: String?
    var ResourceARN: String?
    var ArchiveName: String?
    var ReplayName: String?
    var EventSourceArn: String?
    var Destination: DestinationMembers?
    var Entries: [EntryMembers]?
    var Targets: [TargetMembers]?
    var Tags: [Tag]?
    var TagKeys: [String]?
}
