import AWSProtocol
import Foundation

/// The IAM permission each CloudWatch operation needs: `cloudwatch:<Operation>` on `*` (metrics have no ARNs) or on
/// the alarms it names (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`); PutMetricData carries the
/// `cloudwatch:namespace` condition key.
extension CloudWatchService {
    struct NamespaceMember: Decodable {
        var Namespace: String?
    }

    /// The members that name the alarms an operation acts on.
    struct AlarmMembers: Decodable {
        var AlarmName: String?
        var AlarmNames: [String]?
        var ResourceARN: String?
    }

    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        let operation = Self.operation(request)
        var permission = RequiredPermission(action: "cloudwatch:" + operation, resource: "*")
        if operation == "PutMetricData", let namespace = (try? wire.decode(NamespaceMember.self, from: request))?.Namespace {
            permission.context["cloudwatch:namespace"] = [namespace]
        }
        let alarmOperations: Set<String> = ["PutMetricAlarm", "PutCompositeAlarm", "SetAlarmState", "DeleteAlarms", "EnableAlarmActions", "DisableAlarmActions",
                                            "DescribeAlarmHistory", "TagResource", "UntagResource", "ListTagsForResource"]
        if alarmOperations.contains(operation), let alarms, let members = try? wire.decode(AlarmMembers.self, from: request) {
            let arns = members.ResourceARN.map { [$0] } ?? (members.AlarmNames ?? members.AlarmName.map { [$0] } ?? []).map(alarms.arn)
            if !arns.isEmpty {
                return arns.map { RequiredPermission(action: permission.action, resource: $0, context: permission.context) }
            }
        }
        return [permission]
    }
}
