/// Where traces live. A trace is the set of segments with its id; the store also keeps, per trace, the span of its
/// segments' times, so time-range queries find traces without reading documents.
public protocol TraceStore: Sendable {
    /// Stores `segments`; a segment sent again (same trace and id: an in-progress one completed) replaces the old one.
    func putTraceSegments(_ segments: [StoredSegment]) async throws
    /// The segments of each of `traceIds` that has any.
    func traceSegments(_ traceIds: [String]) async throws -> [String: [StoredSegment]]
    /// Traces in a time range, most recent first (by time, then id, descending), after `cursor`, at most `limit`.
    /// `byEventTime` selects traces with a segment between `start` and `end`; otherwise the trace id's time is in it.
    func traceKeys(start: Double, end: Double, byEventTime: Bool, after cursor: TraceKey?, limit: Int) async throws -> [TraceKey]
    /// Deletes the traces last written to before `receivedBefore` (seconds since 1970); returns how many.
    func deleteTraces(receivedBefore: Int64) async throws -> Int
}

/// A trace's place in time-ordered listings (most recent first, as X-Ray pages): the time it is ordered by and its id.
public struct TraceKey: Sendable, Equatable {
    public var time: Double
    public var traceId: String

    public init(time: Double, traceId: String) {
        self.time = time
        self.traceId = traceId
    }

    /// The `NextToken` form: `<time>_<trace id>`.
    public var token: String { "\(time)_\(traceId)" }

    public init?(token: String) {
        guard let sep = token.lastIndex(of: "_"), let time = Double(token[..<sep]) else { return nil }
        let id = String(token[token.index(after: sep)...])
        guard TraceID.isValid(id) else { return nil }
        self.init(time: time, traceId: id)
    }
}
