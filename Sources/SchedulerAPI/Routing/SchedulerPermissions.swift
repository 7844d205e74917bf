import AWSProtocol
import Foundation
import Schedules

/// IAM for Scheduler: `scheduler:<Operation>` on the schedule (`…:schedule/<group>/<name>`) or group
/// (`…:schedule-group/<name>`) ARN, `*` for the lists, and `iam:PassRole` of the target's role to
/// `scheduler.amazonaws.com` on create and update, as AWS's service authorization reference defines them.
enum SchedulerPermissions {
    static func required(for request: APIRequest, region: String, accountId: String) -> [RequiredPermission] {
        guard let route = SchedulerRoute.match(method: request.method, segments: request.pathSegments) else { return [] }
        let action = "scheduler:" + route.operationName
        let base = "arn:aws:scheduler:\(region):\(accountId):"
        switch route {
        case .createSchedule(let name), .updateSchedule(let name):
            let body = try? JSONDecoder().decode(ScheduleRequest.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body))
            let group = body?.GroupName ?? ScheduleDirectory.defaultGroup
            var required = [RequiredPermission(action: action, resource: base + "schedule/\(group)/\(name)")]
            if let role = body?.Target?.RoleArn {
                required.append(RequiredPermission(action: "iam:PassRole", resource: role,
                                                   context: ["iam:PassedToService": [ScheduleDirectory.servicePrincipal]]))
            }
            return required
        case .getSchedule(let name), .deleteSchedule(let name):
            let group = request.queryValue("groupName") ?? ScheduleDirectory.defaultGroup
            return [RequiredPermission(action: action, resource: base + "schedule/\(group)/\(name)")]
        case .createScheduleGroup(let name), .getScheduleGroup(let name), .deleteScheduleGroup(let name):
            return [RequiredPermission(action: action, resource: base + "schedule-group/\(name)")]
        case .tagResource(let arn), .untagResource(let arn), .listTagsForResource(let arn):
            return [RequiredPermission(action: action, resource: arn)]
        case .listSchedules, .listScheduleGroups:
            return [RequiredPermission(action: action, resource: "*")]
        }
    }
}
