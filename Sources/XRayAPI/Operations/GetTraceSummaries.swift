import AWSProtocol
import Foundation
import Traces

extension XRayService {
    /// Summaries of the traces in a time range (by trace id time or by event time) that match a filter expression,
    /// a page at a time.
    func getTraceSummaries(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(GetTraceSummariesRequest.self, from: request)
        guard let start = input.StartTime else { throw Self.validation("null", at: "startTime", "Member must not be null") }
        guard let end = input.EndTime else { throw Self.validation("null", at: "endTime", "Member must not be null") }
        guard end >= start else { throw TracesError.invalidRequest("EndTime must not be earlier than StartTime.") }
        let rangeType = input.TimeRangeType ?? "TraceId"
        guard ["TraceId", "Event", "Service"].contains(rangeType) else {
            throw Self.validation("'\(rangeType)'", at: "timeRangeType", "Member must satisfy enum value set: [TraceId, Event, Service]")
        }
        if let name = input.SamplingStrategy?.Name, !["PartialScan", "FixedRate"].contains(name) {
            throw Self.validation("'\(name)'", at: "samplingStrategy.name", "Member must satisfy enum value set: [PartialScan, FixedRate]")
        }
        var filter: FilterExpression?
        if let text = input.FilterExpression, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                filter = try FilterParser.parse(text)
            } catch {
                throw TracesError.invalidRequest("Invalid FilterExpression '\(text)': \(error)")
            }
        }
        var after: TraceKey?
        if let token = input.NextToken, !token.isEmpty {
            guard let key = TraceKey(token: token) else { throw TracesError.invalidRequest("Invalid NextToken: \(token)") }
            after = key
        }
        let page = try await directory.summaries(TraceDirectory.SummaryQuery(
            start: start, end: end, byEventTime: rangeType != "TraceId", filter: filter, after: after))
        return try .json(GetTraceSummariesResult(
            TraceSummaries: page.summaries.map(TraceSummaryShape.init), ApproximateTime: Date().timeIntervalSince1970.rounded(.down),
            TracesProcessedCount: page.processed, NextToken: page.next?.token))
    }
}
