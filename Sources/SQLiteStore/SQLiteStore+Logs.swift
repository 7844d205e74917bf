import FunctionLogs
import GRDB

extension SQLiteStore: LogEventStore {
    public func appendLogEvents(_ events: [LogEvent]) async throws {
        try await pool.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO log_events (log_group, stream, timestamp, message) VALUES (?, ?, ?, ?)")
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO log_streams (log_group, name, created, first_event, last_event, event_count) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (log_group, name) DO UPDATE SET
                  first_event = MIN(COALESCE(first_event, excluded.first_event), excluded.first_event),
                  last_event = MAX(COALESCE(last_event, excluded.last_event), excluded.last_event),
                  event_count = event_count + excluded.event_count
                """)
            var streams: [String: (group: String, stream: String, first: Int64, last: Int64, count: Int)] = [:]
            for event in events {
                try insert.execute(arguments: [event.group, event.stream, event.timestamp, event.message])
                let key = event.group + "\u{0}" + event.stream
                if var s = streams[key] {
                    s.first = min(s.first, event.timestamp)
                    s.last = max(s.last, event.timestamp)
                    s.count += 1
                    streams[key] = s
                } else {
                    streams[key] = (event.group, event.stream, event.timestamp, event.timestamp, 1)
                }
            }
            for s in streams.values {
                try upsert.execute(arguments: [s.group, s.stream, s.first, s.first, s.last, s.count])
            }
        }
    }

    public func logStreams(group: String) async throws -> [LogStreamSummary] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT name, first_event, last_event, event_count FROM log_streams WHERE log_group = ? ORDER BY name
                """, arguments: [group]).map {
                LogStreamSummary(group: group, stream: $0["name"], firstEventTimestamp: $0["first_event"],
                                 lastEventTimestamp: $0["last_event"], eventCount: $0["event_count"])
            }
        }
    }

    public func logEvents(group: String, stream: String, limit: Int) async throws -> [LogEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT timestamp, message FROM log_events WHERE log_group = ? AND stream = ? ORDER BY id LIMIT ?
                """, arguments: [group, stream, limit]).map {
                LogEvent(group: group, stream: stream, timestamp: $0["timestamp"], message: $0["message"])
            }
        }
    }
}
