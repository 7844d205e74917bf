import Delivery
import GRDB
import Schedules

extension SQLiteStore: TimerStore {
    public func allTimers() async throws -> [TimerRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, id, due_at FROM timers").map {
                TimerRecord(kind: $0["kind"], id: $0["id"], dueAt: $0["due_at"])
            }
        }
    }

    public func upsertTimer(_ timer: TimerRecord) async throws {
        try await pool.write { db in try Self.upsertTimer(timer, in: db) }
    }

    static func upsertTimer(_ timer: TimerRecord, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO timers (kind, id, due_at) VALUES (?, ?, ?)
            ON CONFLICT(kind, id) DO UPDATE SET due_at = excluded.due_at
            """, arguments: [timer.kind, timer.id, timer.dueAt])
    }

    public func deleteTimer(kind: String, id: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM timers WHERE kind = ? AND id = ?", arguments: [kind, id])
        }
    }

    public func commitFirings(_ commits: [TimerCommit]) async throws -> [Bool] {
        guard !commits.isEmpty else { return [] }
        return try await pool.write { db in
            let move = try db.cachedStatement(sql: "UPDATE timers SET due_at = ? WHERE kind = ? AND id = ? AND due_at = ?")
            let remove = try db.cachedStatement(sql: "DELETE FROM timers WHERE kind = ? AND id = ? AND due_at = ?")
            var results: [Bool] = []
            for commit in commits {
                if let next = commit.firing.next {
                    try move.execute(arguments: [next, commit.kind, commit.id, commit.firedDueAt])
                } else {
                    try remove.execute(arguments: [commit.kind, commit.id, commit.firedDueAt])
                }
                let swapped = db.changesCount == 1
                results.append(swapped)
                guard swapped else { continue }
                try Self.insertDeliveries(commit.firing.deliveries, in: db)
                if commit.firing.removeOwner { try Self.removeTimerOwner(kind: commit.kind, id: commit.id, in: db) }
            }
            return results
        }
    }

    /// The record a timer belongs to, for kinds whose owner this store keeps (Scheduler's `schedule`
    /// timers are `group/name`).
    static func removeTimerOwner(kind: String, id: String, in db: Database) throws {
        guard kind == ScheduleTimerID.kind, let (group, name) = ScheduleTimerID.parse(id) else { return }
        try db.execute(sql: "DELETE FROM scheduler_schedules WHERE group_name = ? AND name = ?",
                       arguments: [group, name])
    }
}
