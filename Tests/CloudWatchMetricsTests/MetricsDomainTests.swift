import CloudWatchMetrics
import Foundation
import Logging
import SQLiteStore
import Testing

@Suite struct ValueSketchTests {
    @Test func percentilesAreWithinOnePercent() {
        var sketch = ValueSketch()
        for v in 1...10_000 { sketch.add(Double(v)) }
        for (q, exact) in [(0.5, 5000.0), (0.9, 9000.0), (0.99, 9900.0)] {
            let got = sketch.quantile(q)!
            #expect(abs(got - exact) / exact < 0.011, "q\(q): \(got) vs \(exact)")
        }
    }

    @Test func mergedSketchesAnswerAsOne() {
        var a = ValueSketch(), b = ValueSketch(), all = ValueSketch()
        for v in stride(from: 0.5, to: 500, by: 0.5) {
            if Int(v * 2) % 3 == 0 { a.add(v) } else { b.add(v) }
            all.add(v)
        }
        a.merge(b)
        #expect(a.quantile(0.99) == all.quantile(0.99))
        #expect(a.count == all.count)
    }

    @Test func serializationRoundTripsCompactly() {
        var sketch = ValueSketch()
        for v in [0.0, 0.0, 1.2, 3.5, 3.5, 800, 1e6] { sketch.add(v) }
        sketch.add(42, count: 2.5)
        let bytes = sketch.serialized
        #expect(ValueSketch(serialized: bytes) == sketch)
        #expect(bytes.count < 40)
        #expect(ValueSketch(serialized: []) == nil)
    }

    @Test func negativeValuesMakePercentilesUnavailable() {
        var aggregate = MetricAggregate()
        aggregate.add(-1)
        aggregate.add(5)
        #expect(aggregate.value(of: .percentile(50)) == nil)
        #expect(aggregate.value(of: .minimum) == -1)
        #expect(aggregate.value(of: .average) == 2)
    }

    @Test func statisticSetsGiveBasicStatisticsOnly() {
        var aggregate = MetricAggregate()
        aggregate.add(sampleCount: 4, sum: 10, minimum: 1, maximum: 4)
        aggregate.add(6)
        #expect(aggregate.value(of: .sampleCount) == 5)
        #expect(aggregate.value(of: .sum) == 16)
        #expect(aggregate.value(of: .maximum) == 6)
        #expect(aggregate.value(of: .percentile(99)) == nil)
    }

    @Test func statisticNames() {
        #expect(MetricStatistic(stat: "p99") == .percentile(99))
        #expect(MetricStatistic(stat: "p99.9") == .percentile(99.9))
        #expect(MetricStatistic(stat: "Average") == .average)
        for bad in ["p", "p101", "p9.999", "average", "p.5", "p5."] { #expect(MetricStatistic(stat: bad) == nil, "\(bad)") }
    }
}

@Suite struct MetricStorageTests {
    func directory() throws -> (MetricsDirectory, SQLiteStore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.path + "/s.sqlite")
        let recorder = MetricRecorder(store: store, logger: Logger(label: "test"))
        return (MetricsDirectory(recorder: recorder, store: store), store)
    }

    @Test func recordedValuesComeBackPerPeriodWithRollups() async throws {
        let (directory, store) = try directory()
        let metric = MetricIdentity(namespace: "App", name: "Latency", dimensions: [MetricDimension(name: "Route", value: "/a")])
        let base: Int64 = 1_800_000_000 // a minute boundary in seconds? 1_800_000_000 % 60 == 0
        for minute in 0..<10 {
            for v in 1...10 {
                directory.recorder.record([.init(identity: metric, value: Double(v * (minute + 1)), unit: "Milliseconds")],
                                          timestampMs: (base + Int64(minute * 60 + v)) * 1000)
            }
        }
        try await directory.recorder.flush()
        // Per minute.
        let minutes = try await directory.periods(MetricQuery(identity: metric, period: 60, unit: nil), start: base, end: base + 600)
        #expect(minutes.count == 10)
        #expect(minutes[0].aggregate.value(of: .sum) == 55)
        #expect(minutes[9].aggregate.value(of: .maximum) == 100)
        // Five minutes, from the 300-second roll-up.
        let fives = try await store.metricPoints(of: metric, resolution: 300, from: base, to: base + 600, unit: nil, sketches: true)
        #expect(fives.count == 2)
        #expect(fives.map(\.aggregate.sampleCount) == [50, 50])
        let hour = try await directory.periods(MetricQuery(identity: metric, period: 3600, unit: nil), start: base, end: base + 3600)
        #expect(hour.count == 1)
        #expect(hour[0].aggregate.value(of: .sampleCount) == 100)
        // A second recording into the same minute adds to what is stored.
        directory.recorder.record([.init(identity: metric, value: 1000, unit: "Milliseconds")], timestampMs: (base + 5) * 1000)
        try await directory.recorder.flush()
        let first = try await directory.periods(MetricQuery(identity: metric, period: 60, unit: nil), start: base, end: base + 60)
        #expect(first[0].aggregate.value(of: .sampleCount) == 11)
        #expect(first[0].aggregate.value(of: .maximum) == 1000)
        // Unit filter.
        #expect(try await directory.periods(MetricQuery(identity: metric, period: 60, unit: "Seconds"), start: base, end: base + 600).isEmpty)
    }

    @Test func listFiltersByDimensionsAndActivity() async throws {
        let (directory, _) = try directory()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for (fn, route) in [("a", "x"), ("b", "y")] {
            directory.recorder.record([.init(identity: MetricIdentity(namespace: "App", name: "Hits", dimensions: [
                MetricDimension(name: "Fn", value: fn), MetricDimension(name: "Route", value: route)]), value: 1, unit: "Count")],
                                      timestampMs: now)
        }
        directory.recorder.record([.init(identity: MetricIdentity(namespace: "Other", name: "Hits", dimensions: []), value: 1, unit: "Count")],
                                  timestampMs: now - 20 * 86_400_000)
        #expect(try await directory.list(namespace: "App", name: nil, dimensions: []).count == 2)
        #expect(try await directory.list(namespace: nil, name: "Hits", dimensions: [(name: "Fn", value: "b")]).map(\.dimensions[0].value) == ["b"])
        #expect(try await directory.list(namespace: nil, name: nil, dimensions: [(name: "Route", value: nil)]).count == 2)
        // Older than two weeks: not listed.
        #expect(try await directory.list(namespace: "Other", name: nil, dimensions: []).isEmpty)
    }

    @Test func janitorExpiresByResolution() async throws {
        let (directory, store) = try directory()
        let metric = MetricIdentity(namespace: "App", name: "Old", dimensions: [])
        let now = Int64(Date().timeIntervalSince1970)
        directory.recorder.record([.init(identity: metric, value: 1, unit: "Count")], timestampMs: (now - 16 * 86_400) * 1000)
        try await directory.recorder.flush()
        let janitor = MetricJanitor(store: store, logger: Logger(label: "test"))
        #expect(try await janitor.sweep() == 1) // the 1-minute point; the 5-minute and hourly roll-ups stay
        #expect(try await store.metricPoints(of: metric, resolution: 300, from: 0, to: now, unit: nil, sketches: true).count == 1)
    }
}

@Suite struct EmbeddedMetricFormatTests {
    @Test func powertoolsLineBecomesMetrics() {
        let line = #"{"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"Shop","Dimensions":[["service"],["service","region"]],"Metrics":[{"Name":"Orders","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds","StorageResolution":1}]}]},"service":"cart","region":"eu","Orders":3,"Latency":[12,15.5]}"#
        let data = EmbeddedMetricFormat.data(in: line, fallbackTimestampMs: 0)
        #expect(data.count == 4)
        let orders = data.filter { $0.identity.name == "Orders" }
        #expect(orders.map(\.identity.dimensions.count).sorted() == [1, 2])
        #expect(orders[0].values.map(\.value) == [3])
        #expect(orders[0].timestampMs == 1_700_000_000_000)
        let latency = data.first { $0.identity.name == "Latency" }!
        #expect(latency.values.map(\.value) == [12, 15.5])
        #expect(latency.highResolution)
        #expect(latency.unit == "Milliseconds")
    }

    @Test func ordinaryLinesAndBrokenDirectivesGiveNothing() {
        #expect(EmbeddedMetricFormat.data(in: "hello", fallbackTimestampMs: 0).isEmpty)
        #expect(EmbeddedMetricFormat.data(in: #"{"_aws": 1}"#, fallbackTimestampMs: 0).isEmpty)
        // A dimension whose value is missing drops that dimension set; AWS/ namespaces are refused.
        #expect(EmbeddedMetricFormat.data(in: #"{"_aws":{"CloudWatchMetrics":[{"Namespace":"A","Dimensions":[["x"]],"Metrics":[{"Name":"M"}]}]},"M":1}"#,
                                          fallbackTimestampMs: 5).map(\.identity.dimensions.count) == [0])
        #expect(EmbeddedMetricFormat.data(in: #"{"_aws":{"CloudWatchMetrics":[{"Namespace":"AWS/Lambda","Metrics":[{"Name":"M"}]}]},"M":1}"#,
                                          fallbackTimestampMs: 5).isEmpty)
    }
}
