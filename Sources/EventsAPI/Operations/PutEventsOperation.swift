import AWSProtocol
import Events

extension EventsService {
    /// PutEvents: per-entry results in request order; the accepted entries' deliveries are durable before the answer.
    func putEvents(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutEventsRequest.self, from: request)
        let results = try await bridge.putEvents(input.Entries)
        var entries: [PutEventsResultEntry] = []
        entries.reserveCapacity(results.count)
        var failed = 0
        for result in results {
            switch result {
            case .accepted(let id): entries.append(PutEventsResultEntry(EventId: id))
            case .failed(let failure):
                failed += 1
                entries.append(PutEventsResultEntry(ErrorCode: failure.code, ErrorMessage: failure.message))
            }
        }
        return try json(PutEventsResponse(FailedEntryCount: failed, Entries: entries))
    }
}
