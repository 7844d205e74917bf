import CloudWatchMetrics
import Foundation
import GRDB

extension SQLiteStore: AlarmStore {
    public func putAlarm(_ alarm: MetricAlarm, tags: [String: String]?) async throws {
        try await putAlarmDocument(name: alarm.AlarmName, kind: "metric", document: try Self.encode(alarm), tags: tags)
    }

    public func putCompositeAlarm(_ alarm: CompositeAlarm, tags: [String: String]?) async throws {
        try await putAlarmDocument(name: alarm.AlarmName, kind: "composite", document: try Self.encode(alarm), tags: tags)
    }

    /// Inserts or replaces an alarm's document (its tags too when given, else they stay).
    func putAlarmDocument(name: String, kind: String, document: Data, tags: [String: String]?) async throws {
        let tagText = try tags.map { String(decoding: try Self.encode($0), as: UTF8.self) }
        try await pool.write { db in
            if let tagText {
                try db.execute(sql: "INSERT OR REPLACE INTO metric_alarms (name, kind, document, tags) VALUES (?, ?, ?, ?)",
                               arguments: [name, kind, document, tagText])
            } else {
                try db.execute(sql: """
                    INSERT INTO metric_alarms (name, kind, document) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET document = excluded.document, kind = excluded.kind
                    """, arguments: [name, kind, document])
            }
        }
    }

    public func alarm(named name: String) async throws -> MetricAlarm? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM metric_alarms WHERE name = ? AND kind = 'metric'", arguments: [name])
        }
        return try data.map { try Self.decode(MetricAlarm.self, $0) }
    }

    public func alarms() async throws -> [MetricAlarm] {
        let rows = try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT document FROM metric_alarms WHERE kind = 'metric' ORDER BY name")
        }
        return try rows.map { try Self.decode(MetricAlarm.self, $0) }
    }

    public func compositeAlarm(named name: String) async throws -> CompositeAlarm? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM metric_alarms WHERE name = ? AND kind = 'composite'", arguments: [name])
        }
        return try data.map { try Self.decode(CompositeAlarm.self, $0) }
    }

    public func compositeAlarms() async throws -> [CompositeAlarm] {
        let rows = try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT document FROM metric_alarms WHERE kind = 'composite' ORDER BY name")
        }
        return try rows.map { try Self.decode(CompositeAlarm.self, $0) }
    }

    public func deleteAlarms(_ names: [String]) async throws -> [String] {
        try await pool.write { db in
            var deleted: [String] = []
            for name in names {
                try db.execute(sql: "DELETE FROM metric_alarms WHERE name = ?", arguments: [name])
                if db.changesCount > 0 { deleted.append(name) }
            }
            return deleted
        }
    }

    public func alarmTags(_ name: String) async throws -> [String: String]? {
        let text = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT tags FROM metric_alarms WHERE name = ?", arguments: [name])
        }
        return try text.map { try Self.decode([String: String].self, Data($0.utf8)) }
    }

    public func setAlarmTags(_ name: String, _ tags: [String: String]) async throws {
        let text = String(decoding: try Self.encode(tags), as: UTF8.self)
        try await pool.write { db in
            try db.execute(sql: "UPDATE metric_alarms SET tags = ? WHERE name = ?", arguments: [text, name])
        }
    }

    public func appendAlarmHistory(_ item: AlarmHistoryItem) async throws {
        let document = try Self.encode(item)
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO alarm_history (name, timestamp, document) VALUES (?, ?, ?)",
                           arguments: [item.AlarmName, item.Timestamp, document])
            // CloudWatch keeps alarm history for two weeks.
            try db.execute(sql: "DELETE FROM alarm_history WHERE timestamp < ?", arguments: [item.Timestamp - 14 * 86_400])
        }
    }

    public func alarmHistory(name: String?, since: Double, until: Double) async throws -> [AlarmHistoryItem] {
        let rows = try await pool.read { db in
            try Data.fetchAll(db, sql: """
                SELECT document FROM alarm_history WHERE (? IS NULL OR name = ?) AND timestamp >= ? AND timestamp <= ? ORDER BY timestamp DESC, id DESC
                """, arguments: [name, name, since, until])
        }
        return try rows.map { try Self.decode(AlarmHistoryItem.self, $0) }
    }
}
