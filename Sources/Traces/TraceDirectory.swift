import Foundation
import JSONText

/// X-Ray's operations over the store, independent of the wire: taking segment documents, reading whole traces and
/// summarizing traces in a time range through a filter expression.
public final class TraceDirectory: Sendable {
    /// `BatchGetTraces` takes at most this many ids.
    public static let maxBatchTraceIds = 5
    /// Summaries per `GetTraceSummaries` page.
    public static let summariesPerPage = 100
    /// Traces one `GetTraceSummaries` call reads at most before it hands back a `NextToken`.
    public static let maxTracesScanned = 5_000

    let store: any TraceStore
    public let recorder: TraceRecorder

    public init(store: any TraceStore, recorder: TraceRecorder) {
        self.store = store
        self.recorder = recorder
    }

    /// Validates `documents` and stores the valid ones; answers the rejections, in order.
    public func putSegments(_ documents: [String]) async throws -> [SegmentRejection] {
        var accepted: [SegmentDocument] = []
        var rejected: [SegmentRejection] = []
        for document in documents {
            switch SegmentParser.parse(document) {
            case .success(let segment): accepted.append(segment)
            case .failure(let rejection): rejected.append(rejection)
            }
        }
        recorder.record(accepted)
        try await recorder.flush()
        return rejected
    }

    /// One trace as `BatchGetTraces` answers it: its segments, with independent subsegments merged into their parents.
    public struct Trace: Sendable {
        public var id: String
        public var duration: Double
        public var segments: [(id: String, document: String)]
    }

    /// The traces of `ids` that exist, in the order asked, and the ids that have no segments.
    public func traces(_ ids: [String]) async throws -> (found: [Trace], missing: [String]) {
        try await recorder.flush()
        let stored = try await store.traceSegments(ids)
        var found: [Trace] = []
        var missing: [String] = []
        for id in ids {
            guard let segments = stored[id], !segments.isEmpty else {
                missing.append(id)
                continue
            }
            let start = segments.map(\.startTime).min() ?? 0
            let end = segments.map(\.endTime).max() ?? start
            found.append(Trace(id: id, duration: max(0, end - start), segments: Self.merged(segments)))
        }
        return (found, missing)
    }

    /// Documents with each independent subsegment moved into the (sub)segment it names as parent; one whose parent
    /// is not there stays a document of its own.
    static func merged(_ segments: [StoredSegment]) -> [(id: String, document: String)] {
        var tops: [(id: String, json: JSONText)] = []
        var orphans: [(id: String, parentId: String, json: JSONText)] = []
        for segment in segments {
            guard let json = JSONText(parsing: Array(segment.document.utf8)) else { continue }
            if segment.isSubsegment, let parent = segment.parentId {
                orphans.append((segment.id, parent, json))
            } else {
                tops.append((segment.id, json))
            }
        }
        var progress = true
        while progress && !orphans.isEmpty {
            progress = false
            var waiting: [(id: String, parentId: String, json: JSONText)] = []
            for orphan in orphans {
                let child = embedded(orphan.json)
                var placed = false
                for index in tops.indices {
                    if let updated = insert(child, under: orphan.parentId, in: tops[index].json) {
                        tops[index].json = updated
                        placed = true
                        break
                    }
                }
                if placed { progress = true } else { waiting.append(orphan) }
            }
            orphans = waiting
        }
        return tops.map { ($0.id, JSONTextWriter.string($0.json)) } + orphans.map { ($0.id, JSONTextWriter.string($0.json)) }
    }

    /// An independent subsegment as an embedded one: without `type`, `trace_id` and `parent_id`.
    static func embedded(_ json: JSONText) -> JSONText {
        guard case .object(let fields) = json else { return json }
        return .object(fields.filter { !["type", "trace_id", "parent_id"].contains($0.key) })
    }

    /// `json` with `child` appended to the subsegments of the (sub)segment `parentId` in it; nil when it has none.
    static func insert(_ child: JSONText, under parentId: String, in json: JSONText) -> JSONText? {
        guard case .object(var fields) = json else { return nil }
        let subIndex = fields.lastIndex { $0.key == "subsegments" }
        if json["id"]?.stringValue == parentId {
            if let subIndex, case .array(let items) = fields[subIndex].value {
                fields[subIndex].value = .array(items + [child])
            } else {
                fields.append(("subsegments", .array([child])))
            }
            return .object(fields)
        }
        guard let subIndex, case .array(var items) = fields[subIndex].value else { return nil }
        for i in items.indices {
            if let updated = insert(child, under: parentId, in: items[i]) {
                items[i] = updated
                fields[subIndex].value = .array(items)
                return .object(fields)
            }
        }
        return nil
    }

    /// What `GetTraceSummaries` asks.
    public struct SummaryQuery: Sendable {
        public var start: Double
        public var end: Double
        public var byEventTime: Bool
        public var filter: FilterExpression?
        public var after: TraceKey?

        public init(start: Double, end: Double, byEventTime: Bool, filter: FilterExpression?, after: TraceKey?) {
            self.start = start
            self.end = end
            self.byEventTime = byEventTime
            self.filter = filter
            self.after = after
        }
    }

    /// A page of summaries of the traces matching `query`, most recent first (X-Ray's first page is the one closest to
    /// the end of the time frame), the key to continue after, and how many traces were read.
    public func summaries(_ query: SummaryQuery) async throws -> (summaries: [TraceSummary], next: TraceKey?, processed: Int) {
        try await recorder.flush()
        var cursor = query.after
        var results: [TraceSummary] = []
        var processed = 0
        while results.count < Self.summariesPerPage && processed < Self.maxTracesScanned {
            let keys = try await store.traceKeys(start: query.start, end: query.end, byEventTime: query.byEventTime,
                                                 after: cursor, limit: min(500, Self.maxTracesScanned - processed))
            guard !keys.isEmpty else { return (results, nil, processed) }
            let stored = try await store.traceSegments(keys.map(\.traceId))
            for key in keys {
                cursor = key
                processed += 1
                let segments = (stored[key.traceId] ?? []).compactMap { try? SegmentParser.parse($0.document).get() }
                if let summary = TraceSummary(id: key.traceId, segments: segments), query.filter?.matches(summary) ?? true {
                    results.append(summary)
                    if results.count == Self.summariesPerPage { break }
                }
            }
        }
        // More may follow: the caller continues after the last trace read.
        let more = try await store.traceKeys(start: query.start, end: query.end, byEventTime: query.byEventTime, after: cursor, limit: 1)
        return (results, more.isEmpty ? nil : cursor, processed)
    }
}

extension TraceDirectory {
    /// The service graph of the traces `ids`.
    public func traceGraph(_ ids: [String]) async throws -> ServiceGraph {
        try await recorder.flush()
        let stored = try await store.traceSegments(ids)
        return ServiceGraph(traces: ids.compactMap { stored[$0] }.map(Self.parsed))
    }

    /// The service graph of the traces with segments between `start` and `end` (at most `maxTracesScanned` of them).
    public func serviceGraph(start: Double, end: Double) async throws -> ServiceGraph {
        try await recorder.flush()
        let keys = try await store.traceKeys(start: start, end: end, byEventTime: true, after: nil, limit: Self.maxTracesScanned)
        var traces: [[SegmentDocument]] = []
        for chunk in stride(from: 0, to: keys.count, by: 500).map({ keys[$0..<min($0 + 500, keys.count)] }) {
            let stored = try await store.traceSegments(chunk.map(\.traceId))
            traces += chunk.compactMap { stored[$0.traceId] }.map(Self.parsed)
        }
        return ServiceGraph(traces: traces)
    }

    static func parsed(_ segments: [StoredSegment]) -> [SegmentDocument] {
        segments.compactMap { try? SegmentParser.parse($0.document).get() }
    }
}
