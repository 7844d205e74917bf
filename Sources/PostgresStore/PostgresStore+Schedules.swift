import Foundation
import PostgresNIO
import Schedules

/// EventBridge Scheduler's groups and schedules. A schedule and its timer (kind `schedule`, id `group/name`) are
/// written in one transaction.
extension PostgresStore: ScheduleStore {
    public func scheduleGroup(named name: String) async throws -> ScheduleGroup? {
        try await rows("SELECT definition FROM scheduler_groups WHERE name = \(name)")
            .first.map { try Self.decode(ScheduleGroup.self, try $0.decode(Data.self)) }
    }

    public func scheduleGroups() async throws -> [ScheduleGroup] {
        try await rows("SELECT definition FROM scheduler_groups ORDER BY name").map { try Self.decode(ScheduleGroup.self, try $0.decode(Data.self)) }
    }

    public func insertScheduleGroup(_ group: ScheduleGroup) async throws -> Bool {
        let blob = try Self.encode(group)
        return try await !rows("""
            INSERT INTO scheduler_groups (name, definition) VALUES (\(group.name), \(blob)) ON CONFLICT (name) DO NOTHING RETURNING 1
            """).isEmpty
    }

    public func replaceScheduleGroup(_ group: ScheduleGroup) async throws {
        let blob = try Self.encode(group)
        try await client.query("UPDATE scheduler_groups SET definition = \(blob) WHERE name = \(group.name)", logger: logger)
    }

    public func deleteScheduleGroup(named name: String) async throws -> [String]? {
        try await transaction { db in
            guard try await !db.rows("DELETE FROM scheduler_groups WHERE name = \(name) RETURNING 1", logger).isEmpty else { return nil }
            let names = try await db.rows("DELETE FROM scheduler_schedules WHERE group_name = \(name) RETURNING name", logger)
                .map { try $0.decode(String.self) }.sorted()
            let timerIds = names.map { ScheduleTimerID.id(group: name, name: $0) }
            try await db.query("DELETE FROM timers WHERE kind = \(ScheduleTimerID.kind) AND id = ANY(\(timerIds))", logger: logger)
            return names
        }
    }

    public func schedule(group: String, name: String) async throws -> Schedule? {
        try await rows("SELECT definition FROM scheduler_schedules WHERE group_name = \(group) AND name = \(name)")
            .first.map { try Self.decode(Schedule.self, try $0.decode(Data.self)) }
    }

    public func schedules(group: String?) async throws -> [Schedule] {
        let rows = if let group {
            try await rows("SELECT definition FROM scheduler_schedules WHERE group_name = \(group) ORDER BY name")
        } else {
            try await rows("SELECT definition FROM scheduler_schedules ORDER BY group_name, name")
        }
        return try rows.map { try Self.decode(Schedule.self, try $0.decode(Data.self)) }
    }

    public func saveSchedule(_ schedule: Schedule, timerDueAt: Int64?, mustExist: Bool) async throws -> Bool {
        let blob = try Self.encode(schedule)
        let timerId = ScheduleTimerID.id(group: schedule.groupName, name: schedule.name)
        return try await transaction { db in
            let saved = if mustExist {
                try await db.rows("""
                    UPDATE scheduler_schedules SET definition = \(blob) WHERE group_name = \(schedule.groupName) AND name = \(schedule.name)
                    RETURNING 1
                    """, logger)
            } else {
                try await db.rows("""
                    INSERT INTO scheduler_schedules (group_name, name, definition) VALUES (\(schedule.groupName), \(schedule.name), \(blob))
                    ON CONFLICT (group_name, name) DO NOTHING RETURNING 1
                    """, logger)
            }
            guard !saved.isEmpty else { return false }
            if let timerDueAt {
                try await db.query(Self.upsertTimerQuery(TimerRecord(kind: ScheduleTimerID.kind, id: timerId, dueAt: timerDueAt)), logger: logger)
            } else {
                try await db.query("DELETE FROM timers WHERE kind = \(ScheduleTimerID.kind) AND id = \(timerId)", logger: logger)
            }
            return true
        }
    }

    public func deleteSchedule(group: String, name: String) async throws -> Bool {
        try await transaction { db in
            guard try await !db.rows("""
                DELETE FROM scheduler_schedules WHERE group_name = \(group) AND name = \(name) RETURNING 1
                """, logger).isEmpty else { return false }
            try await db.query("""
                DELETE FROM timers WHERE kind = \(ScheduleTimerID.kind) AND id = \(ScheduleTimerID.id(group: group, name: name))
                """, logger: logger)
            return true
        }
    }
}
