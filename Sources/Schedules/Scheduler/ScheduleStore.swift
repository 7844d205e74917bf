/// Persistence of Scheduler's groups and schedules. A schedule and its timer (kind `schedule`, id
/// `group/name`) are written in one transaction, so a schedule never exists without the timer it should
/// have, nor a timer without its schedule.
public protocol ScheduleStore: Sendable {
    func scheduleGroup(named name: String) async throws -> ScheduleGroup?
    /// Every group, by name.
    func scheduleGroups() async throws -> [ScheduleGroup]
    /// Inserts a group; false when one of that name exists.
    func insertScheduleGroup(_ group: ScheduleGroup) async throws -> Bool
    func replaceScheduleGroup(_ group: ScheduleGroup) async throws
    /// Deletes the group with its schedules and their timers; the names of the deleted schedules, or nil
    /// when there was no such group.
    func deleteScheduleGroup(named name: String) async throws -> [String]?

    func schedule(group: String, name: String) async throws -> Schedule?
    /// The schedules of one group, or of all, ordered by group and name.
    func schedules(group: String?) async throws -> [Schedule]
    /// Stores the schedule with its timer's due time (nil: it has none). With `mustExist` false, it is a
    /// create (false when one of that name exists); with true, a replace (false when there is none).
    func saveSchedule(_ schedule: Schedule, timerDueAt: Int64?, mustExist: Bool) async throws -> Bool
    /// Deletes a schedule and its timer; false when there was none.
    func deleteSchedule(group: String, name: String) async throws -> Bool
}
