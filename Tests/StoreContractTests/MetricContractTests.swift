import CloudWatchMetrics
import Foundation
import Testing

extension StoreContract {
    /// CloudWatch metric series and their aggregates, merged from several writers.
    @Suite struct Metrics {
        static let latency = MetricIdentity(namespace: "App", name: "Latency",
                                            dimensions: [MetricDimension(name: "Stage", value: "prod"), MetricDimension(name: "Api", value: "a")])
        static let errors = MetricIdentity(namespace: "App", name: "Errors", dimensions: [])
        static let other = MetricIdentity(namespace: "Other", name: "Latency", dimensions: [MetricDimension(name: "Api", value: "b")])

        static func point(_ identity: MetricIdentity, resolution: Int = 60, start: Int64, unit: String = "Milliseconds",
                          values: [Double]) -> MetricPoint {
            var aggregate = MetricAggregate()
            for value in values { aggregate.add(value) }
            return MetricPoint(identity: identity, resolution: resolution, start: start, unit: unit, aggregate: aggregate)
        }

        @Test(arguments: StoreKind.allCases) func pointsOfOnePeriodMerge(kind: StoreKind) async throws {
            try await kind.withStoreServing((any MetricStore).self) { store in
                try await store.mergeMetricPoints([])
                try await store.mergeMetricPoints([Self.point(Self.latency, start: 60, values: [1, 2]),
                                                   Self.point(Self.latency, start: 120, values: [5])])
                // Same metric written with its dimensions in another order, same period: merged.
                let reordered = MetricIdentity(namespace: "App", name: "Latency", dimensions: Self.latency.dimensions.reversed())
                try await store.mergeMetricPoints([Self.point(reordered, start: 60, values: [10]), Self.point(reordered, start: 60, values: [0.5])])
                var statistics = MetricAggregate()
                statistics.add(sampleCount: 4, sum: 40, minimum: 7, maximum: 13)
                try await store.mergeMetricPoints([MetricPoint(identity: Self.latency, resolution: 60, start: 120, unit: "Milliseconds",
                                                               aggregate: statistics)])
                // Another unit, another resolution: kept apart.
                try await store.mergeMetricPoints([Self.point(Self.latency, start: 60, unit: "Seconds", values: [3]),
                                                   Self.point(Self.latency, resolution: 1, start: 61, values: [4])])

                var expected = MetricAggregate()
                for value in [1, 2, 10, 0.5] { expected.add(value) }
                let points = try await store.metricPoints(of: Self.latency, resolution: 60, from: 0, to: 1_000, unit: "Milliseconds", sketches: true)
                #expect(points.map(\.start) == [60, 120])
                #expect(points.first?.aggregate == expected)
                #expect(points.first?.aggregate.value(of: .percentile(50)) == expected.value(of: .percentile(50)))
                #expect(points.last?.aggregate.sampleCount == 5)
                #expect(points.last?.aggregate.sum == 45)
                #expect(points.last?.aggregate.minimum == 5)
                #expect(points.last?.aggregate.maximum == 13)
                #expect(points.last?.aggregate.hasStatisticSets == true)
                #expect(points.allSatisfy { $0.identity == Self.latency && $0.resolution == 60 && $0.unit == "Milliseconds" })

                // Any unit; [from, to); no sketches unless asked.
                let anyUnit = try await store.metricPoints(of: Self.latency, resolution: 60, from: 60, to: 120, unit: nil, sketches: false)
                #expect(anyUnit.map(\.unit).sorted() == ["Milliseconds", "Seconds"])
                #expect(anyUnit.allSatisfy { $0.aggregate.sketch.isEmpty && $0.aggregate.sampleCount > 0 })
                #expect(try await store.metricPoints(of: Self.latency, resolution: 1, from: 0, to: 1_000, unit: nil, sketches: true)
                    .map(\.aggregate.sum) == [4])
                #expect(try await store.metricPoints(of: Self.errors, resolution: 60, from: 0, to: 1_000, unit: nil, sketches: true).isEmpty)
            }
        }

        @Test(arguments: StoreKind.allCases) func storedMetricsAreFoundByNameAndActivity(kind: StoreKind) async throws {
            try await kind.withStoreServing((any MetricStore).self) { store in
                try await store.mergeMetricPoints([Self.point(Self.latency, start: 600, values: [1]), Self.point(Self.latency, start: 60, values: [1]),
                                                   Self.point(Self.errors, start: 120, values: [1]), Self.point(Self.other, start: 300, values: [1])])
                let all = try await store.storedMetrics(namespace: nil, name: nil, activeSince: 0)
                #expect(Set(all.map(\.identity)) == [Self.latency, Self.errors, Self.other])
                // The latest point's start, whatever order they came in.
                #expect(all.first { $0.identity == Self.latency }?.lastPoint == 600)
                #expect(try await store.storedMetrics(namespace: "App", name: nil, activeSince: 0).count == 2)
                #expect(try await store.storedMetrics(namespace: nil, name: "Latency", activeSince: 0).count == 2)
                #expect(try await store.storedMetrics(namespace: "App", name: "Latency", activeSince: 0).map(\.identity) == [Self.latency])
                #expect(Set(try await store.storedMetrics(namespace: nil, name: nil, activeSince: 300).map(\.identity)) == [Self.latency, Self.other])
                #expect(try await store.storedMetrics(namespace: "None", name: nil, activeSince: 0).isEmpty)
            }
        }

        @Test(arguments: StoreKind.allCases) func oldPointsAreDeletedByResolution(kind: StoreKind) async throws {
            try await kind.withStoreServing((any MetricStore).self) { store in
                try await store.mergeMetricPoints([Self.point(Self.latency, start: 60, values: [1]), Self.point(Self.latency, start: 120, values: [1]),
                                                   Self.point(Self.errors, start: 60, values: [1]),
                                                   Self.point(Self.latency, resolution: 1, start: 61, values: [1])])
                #expect(try await store.deleteMetricPoints(resolution: 60, before: 120) == 2)
                #expect(try await store.deleteMetricPoints(resolution: 60, before: 120) == 0)
                #expect(try await store.metricPoints(of: Self.latency, resolution: 60, from: 0, to: 1_000, unit: nil, sketches: false).map(\.start) == [120])
                #expect(try await store.metricPoints(of: Self.latency, resolution: 1, from: 0, to: 1_000, unit: nil, sketches: false).count == 1)
                // The series stays known.
                #expect(try await store.storedMetrics(namespace: "App", name: "Errors", activeSince: 0).count == 1)
            }
        }

        /// Metric names and dimension values may hold any character, NUL included.
        @Test(arguments: StoreKind.allCases) func namesWithNULCharactersRoundTrip(kind: StoreKind) async throws {
            try await kind.withStoreServing((any MetricStore).self) { store in
                let odd = MetricIdentity(namespace: "App", name: "Late\u{0}ncy", dimensions: [MetricDimension(name: "Api", value: "a\u{0}b")])
                let plain = MetricIdentity(namespace: "App", name: "Late", dimensions: [MetricDimension(name: "Api", value: "a")])
                try await store.mergeMetricPoints([Self.point(odd, start: 60, values: [1]), Self.point(plain, start: 60, values: [2])])
                try await store.mergeMetricPoints([Self.point(odd, start: 60, values: [3])])
                #expect(try await store.metricPoints(of: odd, resolution: 60, from: 0, to: 120, unit: nil, sketches: false).map(\.aggregate.sum) == [4])
                #expect(try await store.metricPoints(of: plain, resolution: 60, from: 0, to: 120, unit: nil, sketches: false).map(\.aggregate.sum) == [2])
                let found = try await store.storedMetrics(namespace: "App", name: "Late\u{0}ncy", activeSince: 0).map(\.identity)
                withKnownIssue("SQLiteStore binds and reads text up to the first NUL: the name filter \"Late\\0ncy\" also finds \"Late\", names read back are cut") {
                    #expect(found == [odd])
                } when: { kind == .sqlite }
            }
        }

        /// Writers on two nodes merging into the same periods of two metrics, in opposite orders: no sample lost.
        @Test(arguments: StoreKind.allCases) func concurrentMergesLoseNothing(kind: StoreKind) async throws {
            try await kind.withTwoNodes((any MetricStore).self) { a, b in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, node) in [a, b, a, b].enumerated() {
                        group.addTask {
                            for round in 0..<10 {
                                let value = Double(index * 10 + round + 1)
                                var batch = [Self.point(Self.latency, start: 60, values: [value]), Self.point(Self.errors, start: 60, values: [value]),
                                             Self.point(Self.latency, start: 120, values: [value])]
                                if index.isMultiple(of: 2) { batch.reverse() }
                                try await node.mergeMetricPoints(batch)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                var expected = MetricAggregate()
                for value in 1...40 { expected.add(Double(value)) }
                for (identity, start) in [(Self.latency, Int64(60)), (Self.latency, 120), (Self.errors, 60)] {
                    let stored = try await a.metricPoints(of: identity, resolution: 60, from: start, to: start + 1, unit: nil, sketches: true)
                    #expect(stored.count == 1)
                    #expect(stored.first?.aggregate.sampleCount == 40)
                    #expect(stored.first?.aggregate.sum == expected.sum)
                    #expect(stored.first?.aggregate.minimum == 1 && stored.first?.aggregate.maximum == 40)
                    #expect(stored.first?.aggregate.sketch == expected.sketch)
                }
            }
        }
    }
}
