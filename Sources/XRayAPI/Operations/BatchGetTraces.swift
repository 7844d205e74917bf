import AWSProtocol
import Traces

extension XRayService {
    /// Whole traces by id (at most 5): every segment document, independent subsegments merged into their parents;
    /// ids with no segments come back in `UnprocessedTraceIds`.
    func batchGetTraces(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(BatchGetTracesRequest.self, from: request)
        guard let ids = input.TraceIds else {
            throw Self.validation("null", at: "traceIds", "Member must not be null")
        }
        guard ids.count <= TraceDirectory.maxBatchTraceIds else {
            throw Self.validation("\(ids)", at: "traceIds",
                                  "Member must have length less than or equal to \(TraceDirectory.maxBatchTraceIds)")
        }
        for id in ids where !TraceID.isValid(id) {
            throw TracesError.invalidRequest("Invalid trace id '\(id)' in TraceIds: a trace id is 1-<8 hex digits>-<24 hex digits>")
        }
        var unique: [String] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        let (found, missing) = try await directory.traces(unique)
        return try .json(BatchGetTracesResult(
            Traces: found.map { trace in
                Trace(Id: trace.id, Duration: trace.duration, LimitExceeded: false,
                      Segments: trace.segments.map { Segment(Id: $0.id, Document: $0.document) })
            },
            UnprocessedTraceIds: missing, NextToken: nil))
    }
}
