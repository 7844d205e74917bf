import Delivery
import Foundation
import Logging

/// EventBridge Scheduler as a domain: schedule groups (the `default` group always exists) and schedules,
/// each schedule's next due time kept as a durable timer of the one `TimerEngine` (kind `schedule`), and
/// the firing of a due schedule into a `Delivery` to its target.
public final class ScheduleDirectory: Sendable {
    public static let defaultGroup = "default"
    public static let servicePrincipal = "scheduler.amazonaws.com"

    let store: any ScheduleStore
    let engine: TimerEngine
    public let region: String
    public let accountId: String
    let logger: Logger
    let clock: @Sendable () -> Int64

    public init(store: any ScheduleStore, engine: TimerEngine, region: String, accountId: String, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) {
        self.store = store
        self.engine = engine
        self.region = region
        self.accountId = accountId
        self.logger = logger
        self.clock = clock
        engine.register(kind: ScheduleTimerID.kind, handler: ScheduleFiring(directory: self))
    }

    /// Creates the `default` group on first start.
    public func prepare() async throws {
        if try await store.scheduleGroup(named: Self.defaultGroup) == nil {
            let now = Date(timeIntervalSince1970: Double(clock()) / 1000)
            _ = try await store.insertScheduleGroup(ScheduleGroup(name: Self.defaultGroup, arn: groupARN(Self.defaultGroup),
                                                                  creationDate: now, lastModificationDate: now))
        }
    }

    public func scheduleARN(group: String, name: String) -> String {
        "arn:aws:scheduler:\(region):\(accountId):schedule/\(group)/\(name)"
    }

    public func groupARN(_ name: String) -> String {
        "arn:aws:scheduler:\(region):\(accountId):schedule-group/\(name)"
    }

    var now: Int64 { clock() }

    // MARK: Schedules

    /// CreateSchedule: the schedule's ARN. A retry with the same ClientToken answers the same ARN again.
    public func createSchedule(name: String, _ request: ScheduleRequest) async throws -> String {
        try ScheduleValidation.name(name, member: "name")
        let group = request.GroupName ?? Self.defaultGroup
        try ScheduleValidation.name(group, member: "groupName")
        try ScheduleValidation.clientToken(request.ClientToken)
        _ = try ScheduleValidation.check(request, now: now)
        guard try await store.scheduleGroup(named: group) != nil else {
            throw SchedulerError.notFound("Schedule group \(group) does not exist.")
        }
        if let existing = try await store.schedule(group: group, name: name) {
            if let token = request.ClientToken, existing.clientToken == token { return existing.arn }
            throw SchedulerError.conflict("Schedule \(name) already exists.")
        }
        let now = self.now
        let date = Date(timeIntervalSince1970: Double(now) / 1000)
        let schedule = Self.schedule(from: request, name: name, group: group, arn: scheduleARN(group: group, name: name),
                                     created: date, modified: date, now: now)
        let due = try dueTime(of: schedule, now: now)
        guard try await store.saveSchedule(schedule, timerDueAt: due, mustExist: false) else {
            throw SchedulerError.conflict("Schedule \(name) already exists.")
        }
        noteTimer(schedule, due: due)
        return schedule.arn
    }

    /// UpdateSchedule: replaces every member (what the request leaves out takes its default again).
    public func updateSchedule(name: String, _ request: ScheduleRequest) async throws -> String {
        try ScheduleValidation.name(name, member: "name")
        let group = request.GroupName ?? Self.defaultGroup
        try ScheduleValidation.name(group, member: "groupName")
        try ScheduleValidation.clientToken(request.ClientToken)
        _ = try ScheduleValidation.check(request, now: now)
        guard let existing = try await store.schedule(group: group, name: name) else {
            throw SchedulerError.notFound("Schedule \(name) does not exist.")
        }
        let now = self.now
        var schedule = Self.schedule(from: request, name: name, group: group, arn: existing.arn, created: existing.creationDate,
                                     modified: Date(timeIntervalSince1970: Double(now) / 1000), now: now)
        schedule.clientToken = existing.clientToken
        let due = try dueTime(of: schedule, now: now)
        guard try await store.saveSchedule(schedule, timerDueAt: due, mustExist: true) else {
            throw SchedulerError.notFound("Schedule \(name) does not exist.")
        }
        noteTimer(schedule, due: due)
        return schedule.arn
    }

    public func schedule(name: String, group: String?) async throws -> Schedule {
        try ScheduleValidation.name(name, member: "name")
        let group = group ?? Self.defaultGroup
        try ScheduleValidation.name(group, member: "groupName")
        guard let schedule = try await store.schedule(group: group, name: name) else {
            throw SchedulerError.notFound("Schedule \(name) does not exist.")
        }
        return schedule
    }

    public func deleteSchedule(name: String, group: String?) async throws {
        try ScheduleValidation.name(name, member: "name")
        let group = group ?? Self.defaultGroup
        try ScheduleValidation.name(group, member: "groupName")
        guard try await store.deleteSchedule(group: group, name: name) else {
            throw SchedulerError.notFound("Schedule \(name) does not exist.")
        }
        engine.noteCancelled(kind: ScheduleTimerID.kind, id: ScheduleTimerID.id(group: group, name: name))
    }

    /// ListSchedules' filters: the schedules of a group (or all), by name prefix and state, ordered by group
    /// and name.
    public func schedules(group: String?, namePrefix: String?, state: String?) async throws -> [Schedule] {
        if let group {
            try ScheduleValidation.name(group, member: "groupName")
            guard try await store.scheduleGroup(named: group) != nil else {
                throw SchedulerError.notFound("Schedule group \(group) does not exist.")
            }
        }
        if let namePrefix { try ScheduleValidation.name(namePrefix, member: "namePrefix") }
        if let state, state != "ENABLED", state != "DISABLED" {
            throw SchedulerError.validation("1 validation error detected: Value '\(state)' at 'state' failed to satisfy constraint: "
                                            + "Member must satisfy enum value set: [ENABLED, DISABLED]")
        }
        return try await store.schedules(group: group).filter { schedule in
            (namePrefix.map { schedule.name.hasPrefix($0) } ?? true) && (state.map { schedule.state == $0 } ?? true)
        }
    }

    static func schedule(from request: ScheduleRequest, name: String, group: String, arn: String, created: Date, modified: Date,
                         now: Int64) -> Schedule {
        let start = request.StartDate.map { Date(timeIntervalSince1970: $0) }
        return Schedule(name: name, groupName: group, arn: arn, scheduleExpression: request.ScheduleExpression ?? "",
                        scheduleExpressionTimezone: request.ScheduleExpressionTimezone,
                        startDate: start, endDate: request.EndDate.map { Date(timeIntervalSince1970: $0) },
                        description: request.Description, state: request.State ?? "ENABLED", kmsKeyArn: request.KmsKeyArn,
                        target: request.Target!, flexibleTimeWindow: request.FlexibleTimeWindow!,
                        actionAfterCompletion: request.ActionAfterCompletion ?? "NONE", creationDate: created,
                        lastModificationDate: modified, clientToken: request.ClientToken,
                        anchor: start.map(ScheduleTiming.ms) ?? now)
    }

    /// The due time of the schedule's first firing from `now`; nil when disabled or it never fires.
    func dueTime(of schedule: Schedule, now: Int64) throws(SchedulerError) -> Int64? {
        guard schedule.isEnabled else { return nil }
        let timing: ScheduleTiming
        do {
            timing = try ScheduleTiming(schedule)
        } catch {
            throw .validation("Invalid Schedule Expression \(schedule.scheduleExpression). \(error.message)")
        }
        return timing.firstNominal(now: now).map(timing.due)
    }

    func noteTimer(_ schedule: Schedule, due: Int64?) {
        let id = ScheduleTimerID.id(group: schedule.groupName, name: schedule.name)
        if let due {
            engine.noteScheduled(kind: ScheduleTimerID.kind, id: id, dueAt: due)
        } else {
            engine.noteCancelled(kind: ScheduleTimerID.kind, id: id)
        }
    }

    // MARK: Groups

    public func createGroup(name: String, tags: [String: String], clientToken: String?) async throws -> String {
        try ScheduleValidation.name(name, member: "name")
        try ScheduleValidation.clientToken(clientToken)
        try Self.checkTags(tags)
        let date = Date(timeIntervalSince1970: Double(now) / 1000)
        let group = ScheduleGroup(name: name, arn: groupARN(name), creationDate: date, lastModificationDate: date, tags: tags,
                                  clientToken: clientToken)
        guard try await store.insertScheduleGroup(group) else {
            if let clientToken, let existing = try await store.scheduleGroup(named: name), existing.clientToken == clientToken {
                return existing.arn
            }
            throw SchedulerError.conflict("Schedule group \(name) already exists.")
        }
        return group.arn
    }

    public func group(name: String) async throws -> ScheduleGroup {
        try ScheduleValidation.name(name, member: "name")
        guard let group = try await store.scheduleGroup(named: name) else {
            throw SchedulerError.notFound("Schedule group \(name) does not exist.")
        }
        return group
    }

    public func groups(namePrefix: String?) async throws -> [ScheduleGroup] {
        if let namePrefix { try ScheduleValidation.name(namePrefix, member: "namePrefix") }
        return try await store.scheduleGroups().filter { group in namePrefix.map { group.name.hasPrefix($0) } ?? true }
    }

    /// DeleteScheduleGroup: the group and every schedule in it (the `default` group cannot be deleted).
    public func deleteGroup(name: String) async throws {
        try ScheduleValidation.name(name, member: "name")
        guard name != Self.defaultGroup else {
            throw SchedulerError.validation("The default schedule group cannot be deleted.")
        }
        guard let deleted = try await store.deleteScheduleGroup(named: name) else {
            throw SchedulerError.notFound("Schedule group \(name) does not exist.")
        }
        for schedule in deleted {
            engine.noteCancelled(kind: ScheduleTimerID.kind, id: ScheduleTimerID.id(group: name, name: schedule))
        }
    }

    // MARK: Tags (on groups)

    public func tags(of arn: String) async throws -> [String: String] {
        try await group(forARN: arn).tags
    }

    public func tag(_ arn: String, with tags: [String: String]) async throws {
        try Self.checkTags(tags)
        var group = try await group(forARN: arn)
        group.tags.merge(tags) { $1 }
        guard group.tags.count <= 200 else {
            throw SchedulerError.validation("A schedule group can have at most 200 tags.")
        }
        try await store.replaceScheduleGroup(group)
    }

    public func untag(_ arn: String, keys: [String]) async throws {
        var group = try await group(forARN: arn)
        for key in keys { group.tags.removeValue(forKey: key) }
        try await store.replaceScheduleGroup(group)
    }

    func group(forARN arn: String) async throws -> ScheduleGroup {
        let prefix = "arn:aws:scheduler:\(region):\(accountId):schedule-group/"
        guard arn.hasPrefix("arn:aws:scheduler:"), arn.contains(":schedule-group/") else {
            throw SchedulerError.validation("1 validation error detected: Value '\(arn)' at 'resourceArn' failed to satisfy constraint: "
                                            + "Member must satisfy regular expression pattern: "
                                            + "arn:aws[a-z-]*:scheduler:[a-z0-9\\-]+:\\d{12}:schedule-group\\/[0-9a-zA-Z-_.]+")
        }
        guard arn.hasPrefix(prefix), let group = try await store.scheduleGroup(named: String(arn.dropFirst(prefix.count))) else {
            throw SchedulerError.notFound("Schedule group \(arn.split(separator: "/").last.map(String.init) ?? arn) does not exist.")
        }
        return group
    }

    static func checkTags(_ tags: [String: String]) throws(SchedulerError) {
        guard tags.count <= 200 else { throw .validation("A schedule group can have at most 200 tags.") }
        for (key, value) in tags {
            guard (1...128).contains(key.count) else {
                throw .validation("1 validation error detected: Value at 'tags.key' failed to satisfy constraint: Member must have length between 1 and 128")
            }
            guard (1...256).contains(value.count) else {
                throw .validation("1 validation error detected: Value at 'tags.value' failed to satisfy constraint: Member must have length between 1 and 256")
            }
        }
    }
}
