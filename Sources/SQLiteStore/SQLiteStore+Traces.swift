import Foundation
import GRDB
import Traces

extension SQLiteStore: TraceStore {
    public func putTraceSegments(_ segments: [StoredSegment]) async throws {
        guard !segments.isEmpty else { return }
        try await pool.write { db in
            let segment = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO trace_segments (trace_id, id, parent_id, subsegment, start_time, end_time, document)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            let trace = try db.cachedStatement(sql: """
                INSERT INTO traces (trace_id, id_time, start_time, end_time, received_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (trace_id) DO UPDATE SET start_time = MIN(start_time, excluded.start_time),
                  end_time = MAX(end_time, excluded.end_time), received_at = MAX(received_at, excluded.received_at)
                """)
            // One row per trace: the span of its segments in this batch.
            var spans: [String: (start: Double, end: Double, received: Int64)] = [:]
            for s in segments {
                try segment.execute(arguments: [s.traceId, s.id, s.parentId, s.isSubsegment, s.startTime, s.endTime, s.document])
                if let span = spans[s.traceId] {
                    spans[s.traceId] = (min(span.start, s.startTime), max(span.end, s.endTime), max(span.received, s.receivedAt))
                } else {
                    spans[s.traceId] = (s.startTime, s.endTime, s.receivedAt)
                }
            }
            for (id, span) in spans {
                try trace.execute(arguments: [id, TraceID.epochSeconds(id) ?? 0, span.start, span.end, span.received])
            }
        }
    }

    public func traceSegments(_ traceIds: [String]) async throws -> [String: [StoredSegment]] {
        guard !traceIds.isEmpty else { return [:] }
        return try await pool.read { db in
            let marks = Array(repeating: "?", count: traceIds.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.trace_id, s.id, s.parent_id, s.subsegment, s.start_time, s.end_time, s.document, t.received_at
                FROM trace_segments s JOIN traces t ON t.trace_id = s.trace_id
                WHERE s.trace_id IN (\(marks)) ORDER BY s.start_time, s.id
                """, arguments: StatementArguments(traceIds))
            var found: [String: [StoredSegment]] = [:]
            for row in rows {
                let segment = StoredSegment(traceId: row[0], id: row[1], parentId: row[2], isSubsegment: row[3], startTime: row[4],
                                            endTime: row[5], document: row[6], receivedAt: row[7])
                found[segment.traceId, default: []].append(segment)
            }
            return found
        }
    }

    public func traceKeys(start: Double, end: Double, byEventTime: Bool, after cursor: TraceKey?, limit: Int) async throws -> [TraceKey] {
        try await pool.read { db in
            let column = byEventTime ? "start_time" : "id_time"
            var sql = "SELECT \(column), trace_id FROM traces WHERE "
            var arguments: StatementArguments
            if byEventTime {
                sql += "start_time <= ? AND end_time >= ?"
                arguments = [end, start]
            } else {
                sql += "id_time >= ? AND id_time <= ?"
                arguments = [Int64(start.rounded(.down)), Int64(end.rounded(.down))]
            }
            if let cursor {
                sql += " AND (\(column) < ? OR (\(column) = ? AND trace_id < ?))"
                _ = arguments.append(contentsOf: [cursor.time, cursor.time, cursor.traceId])
            }
            sql += " ORDER BY \(column) DESC, trace_id DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { TraceKey(time: $0[0], traceId: $0[1]) }
        }
    }

    public func deleteTraces(receivedBefore: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: """
                DELETE FROM trace_segments WHERE trace_id IN (SELECT trace_id FROM traces WHERE received_at < ?)
                """, arguments: [receivedBefore])
            try db.execute(sql: "DELETE FROM traces WHERE received_at < ?", arguments: [receivedBefore])
            return db.changesCount
        }
    }
}
