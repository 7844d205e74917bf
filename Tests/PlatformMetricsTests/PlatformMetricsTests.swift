import PlatformMetrics
import Synchronization
import Testing

/// The exposition's sample lines (`name{labels} value`), comments left out.
private func samples(_ metrics: PlatformMetrics) async -> [String] {
    String(decoding: await metrics.exposition(), as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
}

private func value(of sample: String, in lines: [String]) -> String? {
    lines.first { $0.hasPrefix(sample + " ") }.map { String($0.dropFirst(sample.count + 1)) }
}

@Suite struct InvocationSeriesTests {
    @Test func countsPerFunctionResourceAndVersion() async {
        let metrics = PlatformMetrics()
        let live = metrics.invocations.series(function: "orders", invokedARN: "arn:aws:lambda:us-east-1:000000000000:function:orders:live",
                                              version: "3")
        live.invocations.increment()
        // A second lookup finds the same series.
        metrics.invocations.series(function: "orders", invokedARN: "arn:aws:lambda:us-east-1:000000000000:function:orders:live",
                                   version: "3").invocations.increment()
        let latest = metrics.invocations.series(function: "orders", invokedARN: "arn:aws:lambda:us-east-1:000000000000:function:orders",
                                                version: "$LATEST")
        latest.invocations.increment()
        latest.functionErrors.increment()
        latest.throttles.increment()

        let lines = await samples(metrics)
        #expect(value(of: #"swiftlet_invocations_total{function="orders",resource="orders:live",version="3"}"#, in: lines) == "2")
        #expect(value(of: #"swiftlet_invocations_total{function="orders",resource="orders",version="$LATEST"}"#, in: lines) == "1")
        #expect(value(of: #"swiftlet_errors_total{function="orders",resource="orders",version="$LATEST",kind="function"}"#, in: lines) == "1")
        #expect(value(of: #"swiftlet_errors_total{function="orders",resource="orders",version="$LATEST",kind="platform"}"#, in: lines) == "0")
        #expect(value(of: #"swiftlet_throttles_total{function="orders",resource="orders",version="$LATEST"}"#, in: lines) == "1")
        #expect(value(of: #"swiftlet_cold_starts_total{function="orders",resource="orders:live",version="3"}"#, in: lines) == "0")
    }

    @Test func durationHistogramBuckets() async {
        let metrics = PlatformMetrics()
        let series = metrics.invocations.series(function: "f", invokedARN: "arn:aws:lambda:us-east-1:000000000000:function:f",
                                                version: "$LATEST")
        series.duration.record(0.003)
        series.duration.record(0.2)
        series.duration.record(1000.0)
        let lines = await samples(metrics)
        let labels = #"function="f",resource="f",version="$LATEST""#
        func bucket(_ le: String) -> String? {
            value(of: "swiftlet_invocation_duration_seconds_bucket{\(labels),le=\"\(le)\"}", in: lines)
        }
        #expect(bucket("0.001") == "0")
        #expect(bucket("0.0025") == "0")
        #expect(bucket("0.005") == "1")
        #expect(bucket("0.25") == "2")
        #expect(bucket("900.0") == "2")
        #expect(bucket("+Inf") == "3")
        #expect(value(of: "swiftlet_invocation_duration_seconds_count{\(labels)}", in: lines) == "3")
        let sum = value(of: "swiftlet_invocation_duration_seconds_sum{\(labels)}", in: lines).flatMap(Double.init)
        #expect(sum.map { abs($0 - 1000.203) < 1e-9 } == true)
        // 1 ms to 15 minutes.
        #expect(HistogramBuckets.invocationSeconds.first == 0.001)
        #expect(HistogramBuckets.invocationSeconds.last == 900)
        #expect(HistogramBuckets.invocationSeconds == HistogramBuckets.invocationSeconds.sorted())
    }

    @Test(arguments: [
        ("arn:aws:lambda:us-east-1:000000000000:function:orders", "orders"),
        ("arn:aws:lambda:us-east-1:000000000000:function:orders:live", "orders:live"),
        ("arn:aws:lambda:us-east-1:000000000000:function:orders:7", "orders:7"),
        ("orders", "orders"),
    ])
    func resourceOfInvokedARN(arn: String, resource: String) {
        #expect(FunctionSeries.resource(ofInvokedARN: arn) == resource)
    }
}

@Suite struct StateGaugeTests {
    @Test func publishReplacesSeries() async {
        let metrics = PlatformMetrics()
        let gauge = metrics.stateGauge(MetricNames.queueMessages, labelNames: ["queue", "state"])
        gauge.publish([["jobs", "visible"]: 3, ["jobs", "in_flight"]: 1, ["old", "visible"]: 9])
        var lines = await samples(metrics)
        #expect(value(of: #"swiftlet_queue_messages{queue="jobs",state="visible"}"#, in: lines) == "3.0")
        #expect(value(of: #"swiftlet_queue_messages{queue="old",state="visible"}"#, in: lines) == "9.0")

        gauge.publish([["jobs", "visible"]: 0, ["jobs", "in_flight"]: 1])
        lines = await samples(metrics)
        #expect(value(of: #"swiftlet_queue_messages{queue="jobs",state="visible"}"#, in: lines) == "0.0")
        #expect(!lines.contains { $0.contains(#"queue="old""#) })

        gauge.publish([:])
        let text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(!text.contains("swiftlet_queue_messages"))
    }

    @Test func labelValuesAreEscaped() async {
        let metrics = PlatformMetrics()
        let gauge = metrics.stateGauge(MetricNames.asyncEvents, labelNames: ["function"])
        gauge.publish([["a\"b\\c\nd"]: 2])
        let lines = await samples(metrics)
        #expect(value(of: #"swiftlet_async_events{function="a\"b\\c\nd"}"#, in: lines) == "2.0")
    }

    @Test func collectorsRunAtEachScrape() async {
        let metrics = PlatformMetrics()
        let gauge = metrics.stateGauge(MetricNames.asyncEvents, labelNames: ["function"])
        let scrapes = Atomic<Int>(0)
        metrics.addCollector {
            let n = scrapes.add(1, ordering: .relaxed).newValue
            gauge.publish([["f"]: Double(n)])
        }
        _ = await metrics.exposition()
        let lines = await samples(metrics)
        #expect(value(of: #"swiftlet_async_events{function="f"}"#, in: lines) == "2.0")
    }

    @Test func helpAndTypeLines() async {
        let metrics = PlatformMetrics()
        metrics.http.record(["lambda", "Invoke"], status: 200, seconds: 0.002)
        let text = String(decoding: await metrics.exposition(), as: UTF8.self)
        #expect(text.contains("# TYPE swiftlet_http_requests_total counter\n"))
        #expect(text.contains("# HELP swiftlet_http_requests_total \(MetricNames.httpRequests.help)\n"))
        #expect(text.contains("# TYPE swiftlet_http_request_duration_seconds histogram\n"))
        #expect(PlatformMetrics.contentType.hasPrefix("text/plain; version=0.0.4"))
    }
}

@Suite struct RequestMetricsTests {
    @Test func countsByLabelsAndStatus() async {
        let metrics = PlatformMetrics()
        metrics.http.record(["lambda", "Invoke"], status: 200, seconds: 0.001)
        metrics.http.record(["lambda", "Invoke"], status: 200, seconds: 0.004)
        metrics.http.record(["lambda", "Invoke"], status: 429, seconds: 0.0001)
        metrics.ingress.record(["function_url"], status: 502, seconds: 0.01)
        let lines = await samples(metrics)
        #expect(value(of: #"swiftlet_http_requests_total{service="lambda",operation="Invoke",status="200"}"#, in: lines) == "2")
        #expect(value(of: #"swiftlet_http_requests_total{service="lambda",operation="Invoke",status="429"}"#, in: lines) == "1")
        #expect(value(of: #"swiftlet_http_request_duration_seconds_count{service="lambda",operation="Invoke"}"#, in: lines) == "3")
        #expect(value(of: #"swiftlet_ingress_requests_total{kind="function_url",status="502"}"#, in: lines) == "1")
    }

    /// Operation names a client chose cannot grow the series without bound.
    @Test func labelCombinationsAreCapped() async {
        let metrics = PlatformMetrics()
        for i in 0..<2100 {
            metrics.http.record(["sqs", "Made\(i)"], status: 400, seconds: 0.001)
        }
        let lines = await samples(metrics)
        let counters = lines.filter { $0.hasPrefix("swiftlet_http_requests_total{") }
        #expect(counters.count == 2001)
        #expect(value(of: #"swiftlet_http_requests_total{service="other",operation="other",status="400"}"#, in: lines) == "100")
    }
}
