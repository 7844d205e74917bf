import Catalog
import Foundation
import PostgresNIO

/// The durable async event queue, shared by nodes: a claim takes due events nobody holds — never leased, or whose
/// lease expired — with `FOR UPDATE SKIP LOCKED`, so concurrent claimers on other nodes skip each other's rows
/// instead of waiting, and each event is leased to one node at a time.
extension PostgresStore {
    public func enqueue(_ event: AsyncEvent) async throws {
        let statement = PreparedStatements.InsertAsyncEvent(id: event.id, functionName: event.functionName, definition: try Self.encode(event),
                                                            payload: Data(event.payload), dueAt: event.dueAt)
        for try await _ in try await client.execute(statement, logger: logger) {}
    }

    public func claimDueEvents(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [AsyncEvent] {
        let rows = try await rows("""
            UPDATE async_events SET lease_until = \(leaseUntil), lease_owner = \(nodeId)
            WHERE seq IN (
                SELECT seq FROM async_events
                WHERE due_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                ORDER BY due_at, seq LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            RETURNING seq, due_at, definition, payload
            """)
        var claimed: [(seq: Int64, dueAt: Int64, event: AsyncEvent)] = []
        for row in rows {
            let (seq, dueAt, definition, payload) = try row.decode((Int64, Int64, Data, Data).self)
            var event = try Self.decode(AsyncEvent.self, definition)
            event.payload = Array(payload)
            claimed.append((seq, dueAt, event))
        }
        return claimed.sorted { ($0.dueAt, $0.seq) < ($1.dueAt, $1.seq) }.map(\.event)
    }

    public func reschedule(_ id: String, attempts: Int, dueAt: Int64) async throws {
        try await transaction { db in
            guard let row = try await db.rows("SELECT definition FROM async_events WHERE id = \(id) FOR UPDATE", logger).first else { return }
            var event = try Self.decode(AsyncEvent.self, try row.decode(Data.self))
            event.attempts = attempts
            event.dueAt = dueAt
            let blob = try Self.encode(event)
            try await db.query("""
                UPDATE async_events SET definition = \(blob), due_at = \(dueAt), lease_until = NULL, lease_owner = NULL WHERE id = \(id)
                """, logger: logger)
        }
    }

    public func finish(_ id: String) async throws {
        try await client.query("DELETE FROM async_events WHERE id = \(id)", logger: logger)
    }

    /// Releases the leases this node (`nodeId`) holds: at its start, whatever it held before is not running any more.
    /// Other nodes' leases stay; they expire by themselves if their holder died.
    public func releaseLeases() async throws {
        try await client.query("""
            UPDATE async_events SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = \(nodeId)
            """, logger: logger)
    }

    /// When the next event becomes claimable: its due time, or — held — the later of that and its lease's end.
    public func nextDue() async throws -> Int64? {
        try await rows("SELECT MIN(GREATEST(due_at, COALESCE(lease_until, due_at))) FROM async_events")[0].decode(Int64?.self)
    }

    /// Unfinished events by function, with the acceptance time of each function's oldest (lowest `seq`).
    public func asyncBacklog() async throws -> [AsyncBacklog] {
        try await rows("""
            SELECT c.function_name, c.n, a.definition FROM async_events a
            JOIN (SELECT function_name, COUNT(*) AS n, MIN(seq) AS first FROM async_events GROUP BY function_name) c
            ON a.seq = c.first
            """).map { row in
            let (name, count, definition) = try row.decode((String, Int, Data).self)
            return AsyncBacklog(functionName: name, events: count, oldestEnqueuedAt: try Self.decode(AsyncEvent.self, definition).enqueuedAt)
        }
    }

    public func putEventInvokeConfig(_ config: EventInvokeConfig) async throws {
        let blob = try Self.encode(config)
        try await transaction { db in
            guard try await !db.rows("SELECT 1 FROM functions WHERE name = \(config.functionName) FOR SHARE", logger).isEmpty else {
                throw StoreError.notFound
            }
            try await db.query("""
                INSERT INTO event_invoke_configs (function_name, qualifier, definition) VALUES (\(config.functionName), \(config.qualifier), \(blob))
                ON CONFLICT (function_name, qualifier) DO UPDATE SET definition = excluded.definition
                """, logger: logger)
        }
    }

    public func eventInvokeConfig(of functionName: String, qualifier: String) async throws -> EventInvokeConfig? {
        try await rows("SELECT definition FROM event_invoke_configs WHERE function_name = \(functionName) AND qualifier = \(qualifier)")
            .first.map { try Self.decode(EventInvokeConfig.self, try $0.decode(Data.self)) }
    }

    public func eventInvokeConfigs(of functionName: String) async throws -> [EventInvokeConfig] {
        try await rows("SELECT definition FROM event_invoke_configs WHERE function_name = \(functionName) ORDER BY qualifier")
            .map { try Self.decode(EventInvokeConfig.self, try $0.decode(Data.self)) }
    }

    public func deleteEventInvokeConfig(of functionName: String, qualifier: String) async throws -> Bool {
        try await !rows("""
            DELETE FROM event_invoke_configs WHERE function_name = \(functionName) AND qualifier = \(qualifier) RETURNING 1
            """).isEmpty
    }
}
