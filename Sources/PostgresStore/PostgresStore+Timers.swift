import Delivery
import Foundation
import PostgresNIO
import Schedules

/// Durable timers. A firing commits with a compare-and-swap on the due time that fired (`UPDATE … WHERE due_at =
/// fired`): when nodes fire the same due time at once, the first update locks the row, the others wait for it and
/// then find the due time moved, so exactly one commits the firing's deliveries.
extension PostgresStore: TimerStore {
    public func allTimers() async throws -> [TimerRecord] {
        try await rows("SELECT kind, id, due_at FROM timers ORDER BY kind, id").map { row in
            let (kind, id, dueAt) = try row.decode((String, String, Int64).self)
            return TimerRecord(kind: kind, id: id, dueAt: dueAt)
        }
    }

    public func upsertTimer(_ timer: TimerRecord) async throws {
        try await client.query(Self.upsertTimerQuery(timer), logger: logger)
    }

    static func upsertTimerQuery(_ timer: TimerRecord) -> PostgresQuery {
        """
        INSERT INTO timers (kind, id, due_at) VALUES (\(timer.kind), \(timer.id), \(timer.dueAt))
        ON CONFLICT (kind, id) DO UPDATE SET due_at = excluded.due_at
        """
    }

    public func deleteTimer(kind: String, id: String) async throws {
        try await client.query("DELETE FROM timers WHERE kind = \(kind) AND id = \(id)", logger: logger)
    }

    public func commitFirings(_ commits: [TimerCommit]) async throws -> [Bool] {
        guard !commits.isEmpty else { return [] }
        let inserts = try commits.map { commit in commit.firing.deliveries.isEmpty ? nil : try Self.insertDeliveriesQuery(commit.firing.deliveries) }
        // Timers locked in one order whatever the batch's, so two nodes' batches cannot deadlock.
        let order = commits.indices.sorted { (commits[$0].kind, commits[$0].id, $0) < (commits[$1].kind, commits[$1].id, $1) }
        return try await transaction { db in
            var results = [Bool](repeating: false, count: commits.count)
            for index in order {
                let commit = commits[index]
                let swapped: [PostgresRow]
                if let next = commit.firing.next {
                    swapped = try await db.rows("""
                        UPDATE timers SET due_at = \(next) WHERE kind = \(commit.kind) AND id = \(commit.id) AND due_at = \(commit.firedDueAt)
                        RETURNING 1
                        """, logger)
                } else {
                    swapped = try await db.rows("""
                        DELETE FROM timers WHERE kind = \(commit.kind) AND id = \(commit.id) AND due_at = \(commit.firedDueAt) RETURNING 1
                        """, logger)
                }
                guard !swapped.isEmpty else { continue }
                results[index] = true
                if let insert = inserts[index] { try await db.query(insert, logger: logger) }
                if commit.firing.removeOwner { try await Self.removeTimerOwner(kind: commit.kind, id: commit.id, in: db, logger) }
            }
            return results
        }
    }

    /// The record a timer belongs to, for kinds whose owner this store keeps (Scheduler's `schedule` timers are
    /// `group/name`).
    static func removeTimerOwner(kind: String, id: String, in db: PostgresConnection, _ logger: Logger) async throws {
        guard kind == ScheduleTimerID.kind, let (group, name) = ScheduleTimerID.parse(id) else { return }
        try await db.query("DELETE FROM scheduler_schedules WHERE group_name = \(group) AND name = \(name)", logger: logger)
    }
}
