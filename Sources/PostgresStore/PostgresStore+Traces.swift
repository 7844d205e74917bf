import Foundation
import PostgresNIO
import Traces

/// X-Ray traces. A batch is written with two statements over arrays (segments, then one row per trace with the span
/// of its segments), rows in key order so concurrent batches on several nodes lock them in the same order.
extension PostgresStore: TraceStore {
    public func putTraceSegments(_ segments: [StoredSegment]) async throws {
        guard !segments.isEmpty else { return }
        // A segment sent twice in one batch: the last one wins, as with one statement per segment.
        var latest: [SegmentKey: StoredSegment] = [:]
        for s in segments { latest[SegmentKey(traceId: s.traceId, id: s.id)] = s }
        let ordered = latest.values.sorted { ($0.traceId, $0.id) < ($1.traceId, $1.id) }
        var spans: [String: (start: Double, end: Double, received: Int64)] = [:]
        for s in segments {
            if let span = spans[s.traceId] {
                spans[s.traceId] = (min(span.start, s.startTime), max(span.end, s.endTime), max(span.received, s.receivedAt))
            } else {
                spans[s.traceId] = (s.startTime, s.endTime, s.receivedAt)
            }
        }
        let traceIds = spans.keys.sorted()
        let spanList = traceIds.map { spans[$0]! }
        try await transaction { db in
            try await db.query("""
                INSERT INTO trace_segments (trace_id, id, parent_id, subsegment, start_time, end_time, document)
                SELECT t, i, CASE WHEN hp THEN p END, sub, st, et, d
                FROM unnest(\(ordered.map(\.traceId)), \(ordered.map(\.id)), \(ordered.map { $0.parentId ?? "" }),
                            \(ordered.map { $0.parentId != nil }), \(ordered.map(\.isSubsegment)), \(ordered.map(\.startTime)),
                            \(ordered.map(\.endTime)), \(ordered.map(\.document)))
                    WITH ORDINALITY AS u(t, i, p, hp, sub, st, et, d, n)
                ORDER BY n
                ON CONFLICT (trace_id, id) DO UPDATE SET parent_id = excluded.parent_id, subsegment = excluded.subsegment,
                    start_time = excluded.start_time, end_time = excluded.end_time, document = excluded.document
                """, logger: logger)
            try await db.query("""
                INSERT INTO traces (trace_id, id_time, start_time, end_time, received_at)
                SELECT t, it, st, et, r
                FROM unnest(\(traceIds), \(traceIds.map { Double(TraceID.epochSeconds($0) ?? 0) }), \(spanList.map(\.start)),
                            \(spanList.map(\.end)), \(spanList.map(\.received))) WITH ORDINALITY AS u(t, it, st, et, r, n)
                ORDER BY n
                ON CONFLICT (trace_id) DO UPDATE SET start_time = LEAST(traces.start_time, excluded.start_time),
                    end_time = GREATEST(traces.end_time, excluded.end_time),
                    received_at = GREATEST(traces.received_at, excluded.received_at)
                """, logger: logger)
        }
    }

    public func traceSegments(_ traceIds: [String]) async throws -> [String: [StoredSegment]] {
        guard !traceIds.isEmpty else { return [:] }
        let rows = try await rows("""
            SELECT s.trace_id, s.id, s.parent_id, s.subsegment, s.start_time, s.end_time, s.document, t.received_at
            FROM trace_segments s JOIN traces t ON t.trace_id = s.trace_id
            WHERE s.trace_id = ANY(\(traceIds)) ORDER BY s.start_time, s.id
            """)
        var found: [String: [StoredSegment]] = [:]
        for row in rows {
            let (traceId, id, parentId, subsegment, start, end, document, received) =
                try row.decode((String, String, String?, Bool, Double, Double, String, Int64).self)
            found[traceId, default: []].append(StoredSegment(traceId: traceId, id: id, parentId: parentId, isSubsegment: subsegment,
                                                             startTime: start, endTime: end, document: document, receivedAt: received))
        }
        return found
    }

    public func traceKeys(start: Double, end: Double, byEventTime: Bool, after cursor: TraceKey?, limit: Int) async throws -> [TraceKey] {
        let column = byEventTime ? "start_time" : "id_time"
        var query = QueryBuilder("SELECT \(column), trace_id FROM traces WHERE ")
        if byEventTime {
            query.append("start_time <= \(try query.bind(end)) AND end_time >= \(try query.bind(start))")
        } else {
            let from = Double(Int64(start.rounded(.down))), to = Double(Int64(end.rounded(.down)))
            query.append("id_time >= \(try query.bind(from)) AND id_time <= \(try query.bind(to))")
        }
        if let cursor {
            query.append(" AND (\(column), trace_id) < (\(try query.bind(cursor.time)), \(try query.bind(cursor.traceId)))")
        }
        query.append(" ORDER BY \(column) DESC, trace_id DESC LIMIT \(try query.bind(limit))")
        return try await rows(query.query).map { row in
            let (time, id) = try row.decode((Double, String).self)
            return TraceKey(time: time, traceId: id)
        }
    }

    public func deleteTraces(receivedBefore: Int64) async throws -> Int {
        try await transaction { db in
            let gone = try await db.rows("DELETE FROM traces WHERE received_at < \(receivedBefore) RETURNING trace_id", logger)
                .map { try $0.decode(String.self) }
            if !gone.isEmpty {
                try await db.query("DELETE FROM trace_segments WHERE trace_id = ANY(\(gone))", logger: logger)
            }
            return gone.count
        }
    }
}

private struct SegmentKey: Hashable {
    var traceId: String
    var id: String
}
