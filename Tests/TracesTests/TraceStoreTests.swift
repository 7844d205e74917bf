import Foundation
import Logging
import SQLiteStore
import Testing
@testable import Traces

@Suite struct TraceStoreTests {
    static let trace = "1-5759e988-bd862e3fe1be46a994272793"

    static func directory() throws -> (TraceDirectory, SQLiteStore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("traces-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.path + "/s.sqlite")
        return (TraceDirectory(store: store, recorder: TraceRecorder(store: store, logger: Logger(label: "test"))), store)
    }

    @Test func independentSubsegmentsAreMergedIntoTheirParents() async throws {
        let (directory, _) = try Self.directory()
        let rejected = try await directory.putSegments([
            #"{"name":"fn","id":"aaaaaaaaaaaaaaaa","trace_id":"\#(Self.trace)","start_time":1,"end_time":5,"subsegments":[{"id":"bbbbbbbbbbbbbbbb","name":"Invocation","start_time":1,"end_time":4}]}"#,
            #"{"type":"subsegment","name":"work","id":"cccccccccccccccc","trace_id":"\#(Self.trace)","parent_id":"bbbbbbbbbbbbbbbb","start_time":2,"end_time":3}"#,
            #"{"type":"subsegment","name":"deeper","id":"dddddddddddddddd","trace_id":"\#(Self.trace)","parent_id":"cccccccccccccccc","start_time":2.1,"end_time":2.2}"#,
            #"{"type":"subsegment","name":"lost","id":"eeeeeeeeeeeeeeee","trace_id":"\#(Self.trace)","parent_id":"ffffffffffffffff","start_time":2.1,"end_time":2.2}"#,
            #"{"name":"bad?"}"#,
        ])
        #expect(rejected.map(\.errorCode) == ["MissingId"])
        let (found, missing) = try await directory.traces([Self.trace, "1-5759e988-000000000000000000000000"])
        #expect(missing == ["1-5759e988-000000000000000000000000"])
        let trace = try #require(found.first)
        #expect(trace.duration == 4)
        #expect(trace.segments.map(\.id) == ["aaaaaaaaaaaaaaaa", "eeeeeeeeeeeeeeee"])
        let merged = trace.segments[0].document
        #expect(merged.contains(#""subsegments":[{"id":"bbbbbbbbbbbbbbbb","name":"Invocation","start_time":1,"end_time":4,"subsegments":[{"name":"work","id":"cccccccccccccccc","start_time":2,"end_time":3,"subsegments":[{"name":"deeper""#), "\(merged)")
    }

    @Test func aSegmentSentAgainReplacesTheInProgressOne() async throws {
        let (directory, _) = try Self.directory()
        _ = try await directory.putSegments([#"{"name":"a","id":"aaaaaaaaaaaaaaaa","trace_id":"\#(Self.trace)","start_time":1,"in_progress":true}"#])
        _ = try await directory.putSegments([#"{"name":"a","id":"aaaaaaaaaaaaaaaa","trace_id":"\#(Self.trace)","start_time":1,"end_time":9}"#])
        let (found, _) = try await directory.traces([Self.trace])
        #expect(found.first?.segments.count == 1 && found.first?.duration == 8)
    }

    @Test func summariesArePagedInTimeOrderAndFiltered() async throws {
        let (directory, _) = try Self.directory()
        var documents: [String] = []
        for i in 0..<150 {
            let id = TraceID.newTraceId(at: 1_700_000_000 + Int64(i))
            documents.append(#"{"name":"svc","id":"\#(TraceID.newSegmentId())","trace_id":"\#(id)","start_time":\#(1_700_000_000 + i),"end_time":\#(1_700_000_000 + i + (i % 2 == 0 ? 1 : 3))}"#)
        }
        #expect(try await directory.putSegments(documents).isEmpty)
        var query = TraceDirectory.SummaryQuery(start: 1_700_000_000, end: 1_700_000_200, byEventTime: false,
                                                filter: try FilterParser.parse("responsetime > 2"), after: nil)
        let first = try await directory.summaries(query)
        #expect(first.summaries.count == 75 && first.next == nil)
        query.filter = nil
        let page1 = try await directory.summaries(query)
        #expect(page1.summaries.count == 100 && page1.next != nil)
        query.after = page1.next
        let page2 = try await directory.summaries(query)
        #expect(page2.summaries.count == 50 && page2.next == nil)
        let all = (page1.summaries + page2.summaries).map(\.startTime)
        #expect(all == all.sorted(by: >) && Set(all).count == 150, "most recent first")
        let byEvent = try await directory.summaries(.init(start: 1_700_000_010.5, end: 1_700_000_011, byEventTime: true, filter: nil, after: nil))
        // 8 ended at 9; 9 (3 s long), 10 and 11 overlap 10.5…11.
        #expect(byEvent.summaries.map(\.startTime) == [1_700_000_011, 1_700_000_010, 1_700_000_009].map(Double.init))
    }

    @Test func retentionDeletesOldTraces() async throws {
        let (directory, store) = try Self.directory()
        _ = try await directory.putSegments([#"{"name":"a","id":"aaaaaaaaaaaaaaaa","trace_id":"\#(Self.trace)","start_time":1,"end_time":2}"#])
        let now = Int64(Date().timeIntervalSince1970)
        let keep = TraceJanitor(store: store, logger: Logger(label: "t"), clock: { now + 3600 })
        #expect(try await keep.sweep() == 0)
        let expire = TraceJanitor(store: store, logger: Logger(label: "t"), clock: { now + TraceJanitor.defaultRetentionSeconds + 10 })
        #expect(try await expire.sweep() == 1)
        #expect(try await directory.traces([Self.trace]).found.isEmpty)
    }

    @Test func theGraphLinksCallersToCallees() async throws {
        let (directory, _) = try Self.directory()
        _ = try await directory.putSegments([
            #"{"name":"api","id":"aaaaaaaaaaaaaaaa","trace_id":"\#(Self.trace)","start_time":1,"end_time":5,"subsegments":[{"id":"bbbbbbbbbbbbbbbb","name":"call","start_time":1,"end_time":4}]}"#,
            #"{"name":"db","id":"cccccccccccccccc","parent_id":"bbbbbbbbbbbbbbbb","trace_id":"\#(Self.trace)","start_time":2,"end_time":3,"fault":true}"#,
        ])
        let graph = try await directory.traceGraph([Self.trace])
        let api = try #require(graph.nodes.first { $0.service.name == "api" })
        let db = try #require(graph.nodes.first { $0.service.name == "db" })
        #expect(api.root && !db.root && api.edges.map(\.referenceId) == [db.referenceId])
        #expect(db.statistics.faults == 1 && api.statistics.ok == 1 && api.edges[0].statistics.faults == 1)
    }
}
