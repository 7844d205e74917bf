import CloudWatchMetrics
import Foundation
import GRDB

extension SQLiteStore: MetricStore {
    public func mergeMetricPoints(_ points: [MetricPoint]) async throws {
        guard !points.isEmpty else { return }
        try await pool.write { db in
            let findSeries = try db.cachedStatement(sql: "SELECT id FROM metric_series WHERE key = ?")
            let insertSeries = try db.cachedStatement(sql: """
                INSERT INTO metric_series (key, namespace, name, dimensions, last_point) VALUES (?, ?, ?, ?, ?)
                """)
            let touchSeries = try db.cachedStatement(sql: "UPDATE metric_series SET last_point = MAX(last_point, ?) WHERE id = ?")
            let read = try db.cachedStatement(sql: """
                SELECT sample_count, sum, minimum, maximum, statistic_sets, sketch FROM metric_points
                WHERE series_id = ? AND resolution = ? AND start = ? AND unit = ?
                """)
            let write = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO metric_points (series_id, resolution, start, unit, sample_count, sum, minimum, maximum,
                  statistic_sets, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var ids: [String: Int64] = [:]
            for point in points {
                let key = point.identity.key
                var id = ids[key]
                if id == nil {
                    if let found = try Int64.fetchOne(findSeries, arguments: [key]) {
                        id = found
                    } else {
                        try insertSeries.execute(arguments: [key, point.identity.namespace, point.identity.name,
                                                             Self.dimensionsText(point.identity.dimensions), point.start])
                        id = db.lastInsertedRowID
                    }
                    ids[key] = id
                }
                guard let id else { continue }
                try touchSeries.execute(arguments: [point.start, id])
                var aggregate = point.aggregate
                if let row = try Row.fetchOne(read, arguments: [id, point.resolution, point.start, point.unit]) {
                    aggregate.merge(Self.aggregate(row))
                }
                try write.execute(arguments: [id, point.resolution, point.start, point.unit, aggregate.sampleCount, aggregate.sum,
                                              aggregate.minimum, aggregate.maximum, aggregate.hasStatisticSets,
                                              Data(aggregate.sketch.serialized)])
            }
        }
    }

    static func aggregate(_ row: Row) -> MetricAggregate {
        let sketch = (row["sketch"] as Data?).flatMap { ValueSketch(serialized: Array($0)) } ?? ValueSketch()
        return MetricAggregate(sampleCount: row["sample_count"], sum: row["sum"], minimum: row["minimum"], maximum: row["maximum"],
                               sketch: sketch, hasStatisticSets: row["statistic_sets"])
    }

    static func dimensionsText(_ dimensions: [MetricDimension]) -> String {
        String(decoding: (try? JSONEncoder().encode(dimensions.map { [$0.name, $0.value] })) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func identity(_ row: Row) -> MetricIdentity {
        let pairs = (try? JSONDecoder().decode([[String]].self, from: Data((row["dimensions"] as String).utf8))) ?? []
        return MetricIdentity(namespace: row["namespace"], name: row["name"],
                              dimensions: pairs.compactMap { $0.count == 2 ? MetricDimension(name: $0[0], value: $0[1]) : nil })
    }

    public func storedMetrics(namespace: String?, name: String?, activeSince: Int64) async throws -> [StoredMetric] {
        try await pool.read { db in
            var sql = "SELECT namespace, name, dimensions, last_point FROM metric_series WHERE last_point >= ?"
            var arguments: StatementArguments = [activeSince]
            if let namespace {
                sql += " AND namespace = ?"
                _ = arguments.append(contentsOf: [namespace])
            }
            if let name {
                sql += " AND name = ?"
                _ = arguments.append(contentsOf: [name])
            }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                StoredMetric(identity: Self.identity($0), lastPoint: $0["last_point"])
            }
        }
    }

    public func metricPoints(of identity: MetricIdentity, resolution: Int, from: Int64, to: Int64, unit: String?,
                             sketches: Bool) async throws -> [MetricPoint] {
        try await pool.read { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM metric_series WHERE key = ?", arguments: [identity.key]) else { return [] }
            var sql = """
                SELECT start, unit, sample_count, sum, minimum, maximum, statistic_sets\(sketches ? ", sketch" : "") FROM metric_points
                WHERE series_id = ? AND resolution = ? AND start >= ? AND start < ?
                """
            var arguments: StatementArguments = [id, resolution, from, to]
            if let unit {
                sql += " AND unit = ?"
                _ = arguments.append(contentsOf: [unit])
            }
            var points: [MetricPoint] = []
            let rows = try Row.fetchCursor(db, sql: sql + " ORDER BY start", arguments: arguments)
            while let row = try rows.next() {
                // By column index: the name lookups were most of the cost of a day of points.
                let sketch = sketches ? (row[7] as Data?).flatMap { ValueSketch(serialized: Array($0)) } ?? ValueSketch() : ValueSketch()
                let aggregate = MetricAggregate(sampleCount: row[2], sum: row[3], minimum: row[4], maximum: row[5], sketch: sketch,
                                                hasStatisticSets: row[6])
                points.append(MetricPoint(identity: identity, resolution: resolution, start: row[0], unit: row[1], aggregate: aggregate))
            }
            return points
        }
    }

    public func deleteMetricPoints(resolution: Int, before: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM metric_points WHERE resolution = ? AND start < ?", arguments: [resolution, before])
            return db.changesCount
        }
    }
}
