import AWSProtocol
import Traces

extension XRayService {
    /// Validates and stores segment documents; the invalid ones come back in `UnprocessedTraceSegments`.
    func putTraceSegments(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutTraceSegmentsRequest.self, from: request)
        guard let documents = input.TraceSegmentDocuments else {
            throw Self.validation("null", at: "traceSegmentDocuments", "Member must not be null")
        }
        let rejected = try await directory.putSegments(documents)
        return try .json(PutTraceSegmentsResult(UnprocessedTraceSegments: rejected.map {
            UnprocessedTraceSegment(Id: $0.id, ErrorCode: $0.errorCode, Message: $0.message)
        }))
    }
}
