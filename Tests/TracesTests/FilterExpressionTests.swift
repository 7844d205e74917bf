import Testing
@testable import Traces

@Suite struct FilterExpressionTests {
    static let trace = "1-5759e988-bd862e3fe1be46a994272793"

    /// A trace: a front end (2.5 s, HTTP 500 fault, annotations) calling a back end that was throttled.
    static func summary() throws -> TraceSummary {
        let front = try SegmentParser.parse("""
            {"name":"api","id":"70de5b6f19ff9a0a","trace_id":"\(trace)","start_time":100,"end_time":102.5,"fault":true,
             "origin":"AWS::Lambda","user":"alice",
             "http":{"request":{"method":"POST","url":"https://shop.example/orders/7","user_agent":"curl/8","client_ip":"10.0.0.1"},"response":{"status":500}},
             "annotations":{"customer":"c-1","items":3,"vip":false},
             "subsegments":[{"id":"1111111111111111","name":"call","start_time":100.1,"end_time":103}]}
            """).get()
        let back = try SegmentParser.parse("""
            {"name":"inventory","id":"2222222222222222","trace_id":"\(trace)","parent_id":"1111111111111111","start_time":100.2,
             "end_time":103,"throttle":true,"error":true,"origin":"AWS::EC2::Instance"}
            """).get()
        return try #require(TraceSummary(id: trace, segments: [back, front]))
    }

    @Test func theSummaryDescribesTheTrace() throws {
        let s = try Self.summary()
        #expect(s.startTime == 100 && s.duration == 3 && s.responseTime == 2.5)
        #expect(s.hasFault && s.hasError && s.hasThrottle && !s.isPartial)
        #expect(s.http.status == 500 && s.entryPoint?.name == "api" && s.entryPoint?.type == "AWS::Lambda")
        #expect(s.services.map(\.name) == ["api", "inventory"] && s.users == ["alice"])
    }

    @Test(arguments: [
        ("fault", true), ("error", true), ("throttle", true), ("ok", false), ("partial", false), ("!ok", true),
        ("responsetime > 2", true), ("responsetime > 2.5", false), ("responsetime >= 2.5", true), ("duration = 3", true),
        ("duration < 3", false), ("duration != 3", false),
        ("http.status = 500", true), ("http.status = 200", false), ("http.status >= 500 AND http.status < 600", true),
        (#"http.url CONTAINS "/orders/""#, true), (#"http.url BEGINSWITH "https://shop""#, true),
        (#"http.url ENDSWITH "/8""#, false), (#"http.method = "POST""#, true), (#"http.method != "POST""#, false),
        (#"http.useragent = "curl/8""#, true), (#"http.clientip = "10.0.0.1""#, true), (#"user = "alice""#, true),
        (#"annotation.customer = "c-1""#, true), (#"annotation.customer = "c-2""#, false),
        (#"annotation.customer BEGINSWITH "c-""#, true), ("annotation.items > 2", true), ("annotation.items = 2", false),
        ("annotation.vip = false", true), ("annotation.vip = true", false), ("annotation.missing = 1", false),
        ("annotation.items", true), ("annotation.vip", false), ("annotation[items] = 3", true),
        (#"annotation.items = "3""#, false), (#"annotation.items != "3""#, true),
        (#"service("api")"#, true), (#"service("inventory")"#, true), (#"service("billing")"#, false), ("service()", true),
        (#"service("inventory") { throttle }"#, true), (#"service("api") { throttle }"#, false),
        (#"service("api") { fault }"#, true), (#"service(id(name: "api", type: "AWS::Lambda"))"#, true),
        (#"service(id(name: "api", type: "AWS::EC2::Instance"))"#, false), (#"id(name: "inventory")"#, true),
        (#"id(type: "AWS::EC2::Instance")"#, true),
        ("fault AND responsetime > 2", true), ("fault and responsetime > 3", false), ("ok OR responsetime > 2", true),
        ("ok || duration < 1", false), ("fault && !ok", true), ("!(fault OR error)", false), ("NOT ok", true),
        ("ok or fault and duration > 10", false), ("(ok or fault) and duration > 1", true),
        ("FAULT AND ResponseTime > 1", true),
    ])
    func expressionsMatchAsXRayDocumentsThem(_ expression: String, _ expected: Bool) throws {
        let parsed = try FilterParser.parse(expression)
        #expect(parsed.matches(try Self.summary()) == expected, "\(expression) → \(parsed)")
    }

    @Test func andBindsTighterThanOr() throws {
        #expect(try FilterParser.parse("ok or fault and error") == .or(.flag(.ok), .and(.flag(.fault), .flag(.error))))
        #expect(try FilterParser.parse("!ok and error") == .and(.not(.flag(.ok)), .flag(.error)))
        #expect(try FilterParser.parse("responsetime > -1") == .number(.responsetime, .greater, -1))
    }

    @Test(arguments: [
        "", "responsetime >", "responsetime > \"slow\"", "http.url > \"a\"", "duration CONTAINS 3", "fault AND", "(fault",
        "fault)", "bogus", "annotation. = 1", "service(", #"service(name)"#, "http.status = ", #"annotation.k = "unterminated"#,
        "fault fault", "fault $ error", #"id(colour: "red")"#, "service(\"a\") { sometimes }",
    ])
    func malformedExpressionsAreRefused(_ expression: String) {
        #expect(throws: FilterSyntaxError.self, "\(expression)") { try FilterParser.parse(expression) }
    }

    @Test func anInProgressSegmentMakesTheTracePartial() throws {
        let open = try SegmentParser.parse(
            #"{"name":"a","id":"70de5b6f19ff9a0a","trace_id":"\#(Self.trace)","start_time":1,"in_progress":true}"#).get()
        let summary = try #require(TraceSummary(id: Self.trace, segments: [open]))
        let partial = try FilterParser.parse("partial")
        #expect(summary.isPartial && partial.matches(summary))
        #expect(summary.duration == 0)
    }
}
