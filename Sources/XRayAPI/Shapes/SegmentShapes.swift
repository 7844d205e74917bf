/// `PutTraceSegments` input.
struct PutTraceSegmentsRequest: Codable {
    var TraceSegmentDocuments: [String]?
}

/// A document X-Ray did not take.
struct UnprocessedTraceSegment: Codable {
    var Id: String?
    var ErrorCode: String?
    var Message: String?
}

struct PutTraceSegmentsResult: Codable {
    var UnprocessedTraceSegments: [UnprocessedTraceSegment]
}

/// `BatchGetTraces` input.
struct BatchGetTracesRequest: Codable {
    var TraceIds: [String]?
    var NextToken: String?
}

/// One segment document of a trace.
struct Segment: Codable {
    var Id: String
    var Document: String
}

struct Trace: Codable {
    var Id: String
    var Duration: Double
    var LimitExceeded: Bool
    var Segments: [Segment]
}

struct BatchGetTracesResult: Codable {
    var Traces: [Trace]
    var UnprocessedTraceIds: [String]
    var NextToken: String?
}
