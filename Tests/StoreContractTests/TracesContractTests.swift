import Foundation
import Testing
import Traces

extension StoreKind {
    /// A fresh store of this kind, as the `TraceStore` it also is.
    func withTraceStore(_ body: (any TraceStore) async throws -> Void) async throws {
        try await withStore { store in try await body(try #require(store as? any TraceStore)) }
    }
}

extension StoreContract {
    /// X-Ray traces: segments replaced by id, per-trace spans, time-ordered listings with cursors, retention.
    @Suite struct TraceSegments {
        /// A trace id of `seconds` (its time part) and a distinguishing tail.
        static func traceId(_ seconds: Int64, _ tail: Int) -> String {
            "1-" + String(format: "%08x", seconds) + "-" + String(format: "%024x", tail)
        }

        static func segment(_ trace: String, _ id: String, parent: String? = nil, start: Double, end: Double, received: Int64 = 100,
                            document: String? = nil) -> StoredSegment {
            StoredSegment(traceId: trace, id: id, parentId: parent, isSubsegment: parent != nil, startTime: start, endTime: end,
                          document: document ?? "{\"id\":\"\(id)\"}", receivedAt: received)
        }

        @Test(arguments: StoreKind.allCases) func segmentsAreStoredAndReplacedById(kind: StoreKind) async throws {
            try await kind.withTraceStore { store in
                let t1 = Self.traceId(1_000, 1), t2 = Self.traceId(2_000, 2)
                try await store.putTraceSegments([])
                let inProgress = Self.segment(t1, "b", start: 1_005, end: 1_005, document: "{\"in_progress\":true}")
                try await store.putTraceSegments([Self.segment(t1, "a", start: 1_001, end: 1_010), inProgress,
                                                  Self.segment(t2, "c", parent: "x", start: 2_000, end: 2_001)])
                // The in-progress segment completed: sent again, it replaces the first (also within one batch).
                let completed = Self.segment(t1, "b", start: 1_005, end: 1_020, received: 150)
                try await store.putTraceSegments([Self.segment(t1, "b", start: 1_005, end: 1_006, document: "{\"interim\":1}"), completed])
                let found = try await store.traceSegments([t1, t2, Self.traceId(3_000, 3)])
                #expect(Set(found.keys) == [t1, t2])
                // In start order; `receivedAt` is the trace's last write.
                #expect(found[t1]?.map(\.id) == ["a", "b"])
                #expect(found[t1]?.last?.document == completed.document)
                #expect(found[t1]?.last?.endTime == 1_020)
                #expect(found[t1]?.allSatisfy { $0.receivedAt == 150 } == true)
                #expect(found[t2] == [Self.segment(t2, "c", parent: "x", start: 2_000, end: 2_001)])
                #expect(try await store.traceSegments([]).isEmpty)
            }
        }

        @Test(arguments: StoreKind.allCases) func listingsAreMostRecentFirstWithCursors(kind: StoreKind) async throws {
            try await kind.withTraceStore { store in
                let a = Self.traceId(1_000, 1), b = Self.traceId(1_000, 2), c = Self.traceId(1_100, 3), d = Self.traceId(5_000, 4)
                try await store.putTraceSegments([
                    Self.segment(a, "s1", start: 1_000.5, end: 1_001),
                    Self.segment(b, "s2", start: 1_000.5, end: 1_002),
                    Self.segment(c, "s3", start: 1_100, end: 1_200),
                    // A trace whose id's time is late but whose events span the earlier range.
                    Self.segment(d, "s4", start: 900, end: 1_050),
                ])
                // By the id's time: whole seconds, both ends inclusive.
                let byId = try await store.traceKeys(start: 1_000.7, end: 1_100.2, byEventTime: false, after: nil, limit: 10)
                #expect(byId == [TraceKey(time: 1_100, traceId: c), TraceKey(time: 1_000, traceId: b), TraceKey(time: 1_000, traceId: a)])
                let page1 = try await store.traceKeys(start: 1_000, end: 1_100, byEventTime: false, after: nil, limit: 2)
                #expect(page1.map(\.traceId) == [c, b])
                let page2 = try await store.traceKeys(start: 1_000, end: 1_100, byEventTime: false, after: page1.last, limit: 2)
                #expect(page2.map(\.traceId) == [a])

                // By event time: any overlap of the trace's span with the range, ordered by its start.
                let byEvent = try await store.traceKeys(start: 1_001.5, end: 1_150, byEventTime: true, after: nil, limit: 10)
                #expect(byEvent == [TraceKey(time: 1_100, traceId: c), TraceKey(time: 1_000.5, traceId: b), TraceKey(time: 900, traceId: d)])
                let after = try await store.traceKeys(start: 1_001.5, end: 1_150, byEventTime: true, after: TraceKey(time: 1_000.5, traceId: b),
                                                      limit: 10)
                #expect(after.map(\.traceId) == [d])
            }
        }

        @Test(arguments: StoreKind.allCases) func retentionDeletesTracesLastWrittenBefore(kind: StoreKind) async throws {
            try await kind.withTraceStore { store in
                let old = Self.traceId(1_000, 1), renewed = Self.traceId(1_000, 2), fresh = Self.traceId(1_000, 3)
                try await store.putTraceSegments([Self.segment(old, "a", start: 1_000, end: 1_001, received: 100),
                                                  Self.segment(renewed, "b", start: 1_000, end: 1_001, received: 100),
                                                  Self.segment(fresh, "c", start: 1_000, end: 1_001, received: 300)])
                try await store.putTraceSegments([Self.segment(renewed, "d", parent: "b", start: 1_000, end: 1_001, received: 250)])
                #expect(try await store.deleteTraces(receivedBefore: 200) == 1)
                #expect(try await store.deleteTraces(receivedBefore: 200) == 0)
                let left = try await store.traceSegments([old, renewed, fresh])
                #expect(Set(left.keys) == [renewed, fresh])
                #expect(left[renewed]?.count == 2)
            }
        }

        /// Batches of one trace written at once (several nodes receiving its segments) all land and widen one span.
        @Test(arguments: StoreKind.allCases) func concurrentBatchesOfOneTraceAllLand(kind: StoreKind) async throws {
            try await kind.withTraceStore { store in
                let t = Self.traceId(1_000, 1), u = Self.traceId(1_000, 2)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<8 {
                        group.addTask {
                            try await store.putTraceSegments([Self.segment(t, "s\(i)", start: 1_000 + Double(i), end: 1_001 + Double(i)),
                                                              Self.segment(u, "s\(i)", start: 1_000, end: 1_001)])
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await store.traceSegments([t])[t]?.count == 8)
                let keys = try await store.traceKeys(start: 1_007.5, end: 1_007.6, byEventTime: true, after: nil, limit: 10)
                #expect(keys == [TraceKey(time: 1_000, traceId: t)])
            }
        }
    }
}
