import CloudWatchMetrics
import Foundation
import NIOCore
import PostgresNIO

/// CloudWatch alarms: metric and composite alarms share one table (one name space), told apart by `kind`; tags are
/// JSON text beside the document; history entries are kept two weeks. Names are kept as UTF-8 bytes (they may hold
/// NUL, which `TEXT` refuses).
extension PostgresStore: AlarmStore {
    public func putAlarm(_ alarm: MetricAlarm, tags: [String: String]?) async throws {
        try await putAlarmDocument(name: alarm.AlarmName, kind: "metric", document: try Self.encode(alarm), tags: tags)
    }

    public func putCompositeAlarm(_ alarm: CompositeAlarm, tags: [String: String]?) async throws {
        try await putAlarmDocument(name: alarm.AlarmName, kind: "composite", document: try Self.encode(alarm), tags: tags)
    }

    /// Inserts or replaces an alarm's document (its tags too when given, else they stay).
    func putAlarmDocument(name: String, kind: String, document: Data, tags: [String: String]?) async throws {
        if let tags {
            let text = String(decoding: try Self.encode(tags), as: UTF8.self)
            try await client.query("""
                INSERT INTO metric_alarms (name, kind, document, tags) VALUES (\(Self.bytes(name)), \(kind), \(document), \(text))
                ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, document = excluded.document, tags = excluded.tags
                """, logger: logger)
        } else {
            try await client.query("""
                INSERT INTO metric_alarms (name, kind, document) VALUES (\(Self.bytes(name)), \(kind), \(document))
                ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, document = excluded.document
                """, logger: logger)
        }
    }

    public func alarm(named name: String) async throws -> MetricAlarm? {
        try await rows("SELECT document FROM metric_alarms WHERE name = \(Self.bytes(name)) AND kind = 'metric'")
            .first.map { try Self.decode(MetricAlarm.self, try $0.decode(Data.self)) }
    }

    public func alarms() async throws -> [MetricAlarm] {
        try await rows("SELECT document FROM metric_alarms WHERE kind = 'metric' ORDER BY name")
            .map { try Self.decode(MetricAlarm.self, try $0.decode(Data.self)) }
    }

    public func compositeAlarm(named name: String) async throws -> CompositeAlarm? {
        try await rows("SELECT document FROM metric_alarms WHERE name = \(Self.bytes(name)) AND kind = 'composite'")
            .first.map { try Self.decode(CompositeAlarm.self, try $0.decode(Data.self)) }
    }

    public func compositeAlarms() async throws -> [CompositeAlarm] {
        try await rows("SELECT document FROM metric_alarms WHERE kind = 'composite' ORDER BY name")
            .map { try Self.decode(CompositeAlarm.self, try $0.decode(Data.self)) }
    }

    public func deleteAlarms(_ names: [String]) async throws -> [String] {
        guard !names.isEmpty else { return [] }
        let deleted = Set(try await rows("DELETE FROM metric_alarms WHERE name = ANY(\(names.map(Self.bytes))) RETURNING name")
            .map { Self.text(try $0.decode(ByteBuffer.self)) })
        // In the order asked, each once.
        var seen: Set<String> = []
        return names.filter { deleted.contains($0) && seen.insert($0).inserted }
    }

    public func alarmTags(_ name: String) async throws -> [String: String]? {
        try await rows("SELECT tags FROM metric_alarms WHERE name = \(Self.bytes(name))")
            .first.map { try Self.decode([String: String].self, Data(try $0.decode(String.self).utf8)) }
    }

    public func setAlarmTags(_ name: String, _ tags: [String: String]) async throws {
        let text = String(decoding: try Self.encode(tags), as: UTF8.self)
        try await client.query("UPDATE metric_alarms SET tags = \(text) WHERE name = \(Self.bytes(name))", logger: logger)
    }

    public func appendAlarmHistory(_ item: AlarmHistoryItem) async throws {
        let document = try Self.encode(item)
        try await transaction { db in
            try await db.query("""
                INSERT INTO alarm_history (name, timestamp, document) VALUES (\(Self.bytes(item.AlarmName)), \(item.Timestamp), \(document))
                """, logger: logger)
            // CloudWatch keeps alarm history for two weeks.
            try await db.query("DELETE FROM alarm_history WHERE timestamp < \(item.Timestamp - 14 * 86_400)", logger: logger)
        }
    }

    public func alarmHistory(name: String?, since: Double, until: Double) async throws -> [AlarmHistoryItem] {
        var query: PostgresQuery = "SELECT document FROM alarm_history WHERE timestamp >= \(since) AND timestamp <= \(until)"
        if let name {
            query.sql += " AND name = $\(query.binds.count + 1)"
            query.binds.append(Self.bytes(name))
        }
        query.sql += " ORDER BY timestamp DESC, id DESC"
        return try await rows(query).map { try Self.decode(AlarmHistoryItem.self, try $0.decode(Data.self)) }
    }
}
