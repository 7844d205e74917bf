/// An EventBridge Scheduler operation recognised from its method and path, with the path label it carries.
public enum SchedulerRoute: Equatable, Sendable {
    case createSchedule(String)
    case getSchedule(String)
    case updateSchedule(String)
    case deleteSchedule(String)
    case listSchedules
    case createScheduleGroup(String)
    case getScheduleGroup(String)
    case deleteScheduleGroup(String)
    case listScheduleGroups
    case tagResource(String)
    case untagResource(String)
    case listTagsForResource(String)

    /// Whether the path is Scheduler's: `/schedules…`, `/schedule-groups…`, or `/tags/<a scheduler ARN>`.
    public static func claims(_ segments: [String]) -> Bool {
        guard let first = segments.first else { return false }
        if first == "schedules" || first == "schedule-groups" { return segments.count <= 2 }
        return first == "tags" && segments.count == 2 && segments[1].hasPrefix("arn:aws:scheduler:")
    }

    public static func match(method: String, segments: [String]) -> SchedulerRoute? {
        switch (segments.first, segments.count, method) {
        case ("schedules", 1, "GET"): return .listSchedules
        case ("schedules", 2, "POST"): return .createSchedule(segments[1])
        case ("schedules", 2, "GET"): return .getSchedule(segments[1])
        case ("schedules", 2, "PUT"): return .updateSchedule(segments[1])
        case ("schedules", 2, "DELETE"): return .deleteSchedule(segments[1])
        case ("schedule-groups", 1, "GET"): return .listScheduleGroups
        case ("schedule-groups", 2, "POST"): return .createScheduleGroup(segments[1])
        case ("schedule-groups", 2, "GET"): return .getScheduleGroup(segments[1])
        case ("schedule-groups", 2, "DELETE"): return .deleteScheduleGroup(segments[1])
        case ("tags", 2, "POST"): return .tagResource(segments[1])
        case ("tags", 2, "DELETE"): return .untagResource(segments[1])
        case ("tags", 2, "GET"): return .listTagsForResource(segments[1])
        default: return nil
        }
    }

    /// The operation's name (metrics, logs).
    public var operationName: String {
        switch self {
        case .createSchedule: "CreateSchedule"
        case .getSchedule: "GetSchedule"
        case .updateSchedule: "UpdateSchedule"
        case .deleteSchedule: "DeleteSchedule"
        case .listSchedules: "ListSchedules"
        case .createScheduleGroup: "CreateScheduleGroup"
        case .getScheduleGroup: "GetScheduleGroup"
        case .deleteScheduleGroup: "DeleteScheduleGroup"
        case .listScheduleGroups: "ListScheduleGroups"
        case .tagResource: "TagResource"
        case .untagResource: "UntagResource"
        case .listTagsForResource: "ListTagsForResource"
        }
    }
}
