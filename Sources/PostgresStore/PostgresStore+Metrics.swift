import CloudWatchMetrics
import Foundation
import NIOCore
import PostgresNIO

/// CloudWatch metrics: series and their aggregates. Nodes merge into the same points: the upsert that advances a
/// series' `last_point` locks its row until the transaction ends, so writers of one metric take turns and each reads
/// the aggregate the previous one committed (series locked in key order, so two batches cannot deadlock).
extension PostgresStore: MetricStore {
    public func mergeMetricPoints(_ points: [MetricPoint]) async throws {
        guard !points.isEmpty else { return }
        let sorted = points.sorted { ($0.identity.key, $0.resolution, $0.start, $0.unit) < ($1.identity.key, $1.resolution, $1.start, $1.unit) }
        // Each series' latest start, so its row is written (and locked) once.
        var latest: [String: Int64] = [:]
        for point in points { latest[point.identity.key] = max(latest[point.identity.key] ?? point.start, point.start) }
        try await transaction { db in
            var ids: [String: Int64] = [:]
            for point in sorted {
                let key = point.identity.key
                let id: Int64
                if let known = ids[key] {
                    id = known
                } else {
                    id = try await db.rows("""
                        INSERT INTO metric_series (key, namespace, name, dimensions, last_point)
                        VALUES (\(Self.bytes(key)), \(Self.bytes(point.identity.namespace)), \(Self.bytes(point.identity.name)),
                                \(Self.dimensionsText(point.identity.dimensions)),
                                \(latest[key] ?? point.start))
                        ON CONFLICT (key) DO UPDATE SET last_point = GREATEST(metric_series.last_point, excluded.last_point)
                        RETURNING id
                        """, logger)[0].decode(Int64.self)
                    ids[key] = id
                }
                var aggregate = point.aggregate
                if let row = try await db.rows("""
                    SELECT sample_count, sum, minimum, maximum, statistic_sets, sketch FROM metric_points
                    WHERE series_id = \(id) AND resolution = \(point.resolution) AND start = \(point.start) AND unit = \(point.unit)
                    FOR UPDATE
                    """, logger).first {
                    let (count, sum, minimum, maximum, statisticSets, sketch) = try row.decode((Double, Double, Double, Double, Bool, Data).self)
                    aggregate.merge(MetricAggregate(sampleCount: count, sum: sum, minimum: minimum, maximum: maximum,
                                                    sketch: ValueSketch(serialized: Array(sketch)) ?? ValueSketch(), hasStatisticSets: statisticSets))
                }
                let sketch = Data(aggregate.sketch.serialized)
                try await db.query("""
                    INSERT INTO metric_points (series_id, resolution, start, unit, sample_count, sum, minimum, maximum, statistic_sets, sketch)
                    VALUES (\(id), \(point.resolution), \(point.start), \(point.unit), \(aggregate.sampleCount), \(aggregate.sum),
                            \(aggregate.minimum), \(aggregate.maximum), \(aggregate.hasStatisticSets), \(sketch))
                    ON CONFLICT (series_id, resolution, start, unit) DO UPDATE SET
                        sample_count = excluded.sample_count, sum = excluded.sum, minimum = excluded.minimum, maximum = excluded.maximum,
                        statistic_sets = excluded.statistic_sets, sketch = excluded.sketch
                    """, logger: logger)
            }
        }
    }

    /// A name as its column keeps it: UTF-8 bytes (`TEXT` cannot hold NUL).
    static func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func text(_ bytes: ByteBuffer) -> String { String(buffer: bytes) }

    /// The dimensions as the series row keeps them: JSON pairs `[[name, value], …]`, in the identity's order.
    static func dimensionsText(_ dimensions: [MetricDimension]) -> String {
        String(decoding: (try? JSONEncoder().encode(dimensions.map { [$0.name, $0.value] })) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func identity(namespace: String, name: String, dimensions: String) -> MetricIdentity {
        let pairs = (try? JSONDecoder().decode([[String]].self, from: Data(dimensions.utf8))) ?? []
        return MetricIdentity(namespace: namespace, name: name,
                              dimensions: pairs.compactMap { $0.count == 2 ? MetricDimension(name: $0[0], value: $0[1]) : nil })
    }

    public func storedMetrics(namespace: String?, name: String?, activeSince: Int64) async throws -> [StoredMetric] {
        var query: PostgresQuery = "SELECT namespace, name, dimensions, last_point FROM metric_series WHERE last_point >= \(activeSince)"
        if let namespace {
            query.sql += " AND namespace = $\(query.binds.count + 1)"
            query.binds.append(Self.bytes(namespace))
        }
        if let name {
            query.sql += " AND name = $\(query.binds.count + 1)"
            query.binds.append(Self.bytes(name))
        }
        query.sql += " ORDER BY key"
        return try await rows(query).map { row in
            let (namespace, name, dimensions, lastPoint) = try row.decode((ByteBuffer, ByteBuffer, String, Int64).self)
            return StoredMetric(identity: Self.identity(namespace: Self.text(namespace), name: Self.text(name), dimensions: dimensions),
                                lastPoint: lastPoint)
        }
    }

    public func metricPoints(of identity: MetricIdentity, resolution: Int, from: Int64, to: Int64, unit: String?,
                             sketches: Bool) async throws -> [MetricPoint] {
        var query: PostgresQuery = """
            SELECT p.start, p.unit, p.sample_count, p.sum, p.minimum, p.maximum, p.statistic_sets, \(unescaped: sketches ? "p.sketch" : "NULL::BYTEA")
            FROM metric_points p JOIN metric_series s ON s.id = p.series_id
            WHERE s.key = \(Self.bytes(identity.key)) AND p.resolution = \(resolution) AND p.start >= \(from) AND p.start < \(to)
            """
        if let unit {
            query.sql += " AND p.unit = $\(query.binds.count + 1)"
            query.binds.append(unit)
        }
        query.sql += " ORDER BY p.start, p.unit"
        return try await rows(query).map { row in
            let (start, unit, count, sum, minimum, maximum, statisticSets, sketch) =
                try row.decode((Int64, String, Double, Double, Double, Double, Bool, Data?).self)
            let aggregate = MetricAggregate(sampleCount: count, sum: sum, minimum: minimum, maximum: maximum,
                                            sketch: sketch.flatMap { ValueSketch(serialized: Array($0)) } ?? ValueSketch(),
                                            hasStatisticSets: statisticSets)
            return MetricPoint(identity: identity, resolution: resolution, start: start, unit: unit, aggregate: aggregate)
        }
    }

    public func deleteMetricPoints(resolution: Int, before: Int64) async throws -> Int {
        try await rows("""
            WITH deleted AS (DELETE FROM metric_points WHERE resolution = \(resolution) AND start < \(before) RETURNING 1)
            SELECT COUNT(*) FROM deleted
            """)[0].decode(Int.self)
    }
}
