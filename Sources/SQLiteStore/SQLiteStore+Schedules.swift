import Foundation
import GRDB
import Schedules

extension SQLiteStore: ScheduleStore {
    public func scheduleGroup(named name: String) async throws -> ScheduleGroup? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM scheduler_groups WHERE name = ?", arguments: [name])
        }
        return try data.map { try Self.decode(ScheduleGroup.self, $0) }
    }

    public func scheduleGroups() async throws -> [ScheduleGroup] {
        let rows = try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM scheduler_groups ORDER BY name")
        }
        return try rows.map { try Self.decode(ScheduleGroup.self, $0) }
    }

    public func insertScheduleGroup(_ group: ScheduleGroup) async throws -> Bool {
        let blob = try Self.encode(group)
        return try await pool.write { db in
            try db.execute(sql: "INSERT INTO scheduler_groups (name, definition) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
                           arguments: [group.name, blob])
            return db.changesCount == 1
        }
    }

    public func replaceScheduleGroup(_ group: ScheduleGroup) async throws {
        let blob = try Self.encode(group)
        try await pool.write { db in
            try db.execute(sql: "UPDATE scheduler_groups SET definition = ? WHERE name = ?", arguments: [blob, group.name])
        }
    }

    public func deleteScheduleGroup(named name: String) async throws -> [String]? {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM scheduler_groups WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { return nil }
            let names = try String.fetchAll(db, sql: "SELECT name FROM scheduler_schedules WHERE group_name = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM scheduler_schedules WHERE group_name = ?", arguments: [name])
            let deleteTimer = try db.cachedStatement(sql: "DELETE FROM timers WHERE kind = ? AND id = ?")
            for schedule in names {
                try deleteTimer.execute(arguments: [ScheduleTimerID.kind, ScheduleTimerID.id(group: name, name: schedule)])
            }
            return names
        }
    }

    public func schedule(group: String, name: String) async throws -> Schedule? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM scheduler_schedules WHERE group_name = ? AND name = ?",
                              arguments: [group, name])
        }
        return try data.map { try Self.decode(Schedule.self, $0) }
    }

    public func schedules(group: String?) async throws -> [Schedule] {
        let rows = try await pool.read { db in
            if let group {
                return try Data.fetchAll(db, sql: "SELECT definition FROM scheduler_schedules WHERE group_name = ? ORDER BY name",
                                         arguments: [group])
            }
            return try Data.fetchAll(db, sql: "SELECT definition FROM scheduler_schedules ORDER BY group_name, name")
        }
        return try rows.map { try Self.decode(Schedule.self, $0) }
    }

    public func saveSchedule(_ schedule: Schedule, timerDueAt: Int64?, mustExist: Bool) async throws -> Bool {
        let blob = try Self.encode(schedule)
        let timerId = ScheduleTimerID.id(group: schedule.groupName, name: schedule.name)
        return try await pool.write { db in
            if mustExist {
                try db.execute(sql: "UPDATE scheduler_schedules SET definition = ? WHERE group_name = ? AND name = ?",
                               arguments: [blob, schedule.groupName, schedule.name])
            } else {
                try db.execute(sql: """
                    INSERT INTO scheduler_schedules (group_name, name, definition) VALUES (?, ?, ?)
                    ON CONFLICT(group_name, name) DO NOTHING
                    """, arguments: [schedule.groupName, schedule.name, blob])
            }
            guard db.changesCount == 1 else { return false }
            if let timerDueAt {
                try Self.upsertTimer(TimerRecord(kind: ScheduleTimerID.kind, id: timerId, dueAt: timerDueAt), in: db)
            } else {
                try db.execute(sql: "DELETE FROM timers WHERE kind = ? AND id = ?", arguments: [ScheduleTimerID.kind, timerId])
            }
            return true
        }
    }

    public func deleteSchedule(group: String, name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM scheduler_schedules WHERE group_name = ? AND name = ?", arguments: [group, name])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "DELETE FROM timers WHERE kind = ? AND id = ?",
                           arguments: [ScheduleTimerID.kind, ScheduleTimerID.id(group: group, name: name)])
            return true
        }
    }
}
