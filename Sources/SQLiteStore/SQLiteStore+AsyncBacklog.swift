import Catalog
import Foundation
import GRDB

extension SQLiteStore {
    /// Unfinished asynchronous events by function, with the acceptance time of each function's oldest (the lowest
    /// `seq`: retries keep their row). Read when metrics are scraped; one scan of the table.
    public func asyncBacklog() async throws -> [AsyncBacklog] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.function_name, c.n, a.definition FROM async_events a
                JOIN (SELECT function_name, COUNT(*) AS n, MIN(seq) AS first FROM async_events GROUP BY function_name) c
                ON a.seq = c.first
                """)
            return try rows.map { row in
                let oldest = try Self.decode(AsyncEvent.self, row["definition"] as Data)
                return AsyncBacklog(functionName: row["function_name"], events: row["n"], oldestEnqueuedAt: oldest.enqueuedAt)
            }
        }
    }
}
