import CloudWatchLogs
import NIOCore
import PostgresNIO

/// Log entries to insert with one statement: columns as arrays, unnested in order, so ids follow the order of the
/// events. Messages are stored as `SQLiteStore` stores them: the platform's lines compact, others as text (or, holding a
/// NUL character, which PostgreSQL's text cannot, as raw UTF-8 bytes).
struct LogEntryBatch {
    private enum Form: Int16 {
        case text = 0
        case compact = 1
        case raw = 2
    }

    private var groups: [Int64] = []
    private var streams: [Int64] = []
    private var timestamps: [Int64] = []
    private var lags: [Int64] = []
    private var texts: [String] = []
    private var bytesColumn: [ByteBuffer] = []
    private var forms: [Int16] = []
    /// UTF-8 bytes of each message, as streams count them.
    private var messageBytes: [Int] = []

    mutating func append(group: Int64, stream: Int64, timestamp: Int64, lag: Int64, message: String) {
        groups.append(group)
        streams.append(stream)
        timestamps.append(timestamp)
        lags.append(lag)
        if let compact = CompactLogLine.encode(message) {
            texts.append("")
            bytesColumn.append(ByteBuffer(bytes: compact))
            forms.append(Form.compact.rawValue)
        } else if message.utf8.contains(0) {
            texts.append("")
            bytesColumn.append(ByteBuffer(string: message))
            forms.append(Form.raw.rawValue)
        } else {
            texts.append(message)
            bytesColumn.append(ByteBuffer())
            forms.append(Form.text.rawValue)
        }
        messageBytes.append(message.utf8.count)
    }

    var isEmpty: Bool { groups.isEmpty }

    /// The events' spans and bytes by stream, in stream id order.
    var streamChanges: [(stream: Int64, first: Int64, last: Int64, bytes: Int64)] {
        var changes: [Int64: (first: Int64, last: Int64, bytes: Int64)] = [:]
        for i in groups.indices {
            let size = Int64(messageBytes[i])
            if var c = changes[streams[i]] {
                c.first = min(c.first, timestamps[i])
                c.last = max(c.last, timestamps[i])
                c.bytes += size
                changes[streams[i]] = c
            } else {
                changes[streams[i]] = (timestamps[i], timestamps[i], size)
            }
        }
        return changes.sorted { $0.key < $1.key }.map { ($0.key, $0.value.first, $0.value.last, $0.value.bytes) }
    }

    /// One statement that inserts the events and counts them on their streams (which the caller holds locked):
    /// spans widened, bytes added, the sequence advanced; it returns each stream's `PostgresStore.logStreamColumns`.
    func appendStatement(ingested: Int64) throws -> QueryBuilder {
        let changes = streamChanges
        var query = QueryBuilder("WITH inserted AS (")
        query.append("""
            INSERT INTO log_entries (group_id, stream_id, event_time, ingest_lag, text_message, compact, raw_message)
            SELECT g, s, t, l, CASE WHEN f = 0 THEN tx END, CASE WHEN f = 1 THEN b END, CASE WHEN f = 2 THEN b END
            FROM unnest(\(try query.bind(groups)), \(try query.bind(streams)), \(try query.bind(timestamps)), \(try query.bind(lags)),
                        \(try query.bind(texts)), \(try query.bind(bytesColumn)), \(try query.bind(forms)))
                WITH ORDINALITY AS u(g, s, t, l, tx, b, f, n)
            ORDER BY n)
            UPDATE log_streams s SET
              first_event = LEAST(COALESCE(s.first_event, c.first), c.first),
              last_event = GREATEST(COALESCE(s.last_event, c.last), c.last),
              last_ingestion = \(try query.bind(ingested)),
              stored_bytes = s.stored_bytes + c.bytes,
              sequence = s.sequence + 1
            FROM unnest(\(try query.bind(changes.map(\.stream))), \(try query.bind(changes.map(\.first))), \(try query.bind(changes.map(\.last))),
                        \(try query.bind(changes.map(\.bytes)))) AS c(id, first, last, bytes)
            WHERE s.id = c.id
            RETURNING \(PostgresStore.logStreamColumns)
            """)
        return query
    }
}
