/// How Scheduler's schedules name their timers in the engine: kind `schedule`, id `group/name` (neither
/// part can contain a slash).
public enum ScheduleTimerID {
    public static let kind = "schedule"

    public static func id(group: String, name: String) -> String { "\(group)/\(name)" }

    /// The group and name of a timer id.
    public static func parse(_ id: String) -> (group: String, name: String)? {
        guard let slash = id.firstIndex(of: "/") else { return nil }
        return (String(id[..<slash]), String(id[id.index(after: slash)...]))
    }
}
