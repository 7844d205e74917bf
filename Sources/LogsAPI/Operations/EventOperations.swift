import AWSProtocol
import CloudWatchLogs

/// Events: PutLogEvents, GetLogEvents, FilterLogEvents.
extension LogsService {
    func putLogEvents(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutLogEventsRequest.self, from: request)
        let (token, rejected) = try await directory.putLogEvents(
            group: input.logGroupName, stream: input.logStreamName,
            events: input.logEvents.map { IncomingLogEvent(timestamp: $0.timestamp, message: $0.message) })
        let info = rejected.isEmpty ? nil : RejectedLogEventsInfo(
            tooNewLogEventStartIndex: rejected.tooNewStartIndex, tooOldLogEventEndIndex: rejected.tooOldEndIndex,
            expiredLogEventEndIndex: rejected.expiredEndIndex)
        return try json(PutLogEventsResponse(nextSequenceToken: token, rejectedLogEventsInfo: info))
    }

    func getLogEvents(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(GetLogEventsRequest.self, from: request)
        let group = try groupName(input.logGroupName, identifier: input.logGroupIdentifier)
        let page = try await directory.getLogEvents(
            group: group, stream: input.logStreamName, startTime: input.startTime, endTime: input.endTime,
            nextToken: input.nextToken, limit: input.limit, startFromHead: input.startFromHead)
        return try json(GetLogEventsResponse(
            events: page.events.map { OutputLogEvent(timestamp: $0.timestamp, message: $0.message, ingestionTime: $0.ingestionTime) },
            nextForwardToken: page.forward, nextBackwardToken: page.backward))
    }

    func filterLogEvents(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(FilterLogEventsRequest.self, from: request)
        let group = try groupName(input.logGroupName, identifier: input.logGroupIdentifier)
        let page = try await directory.filterLogEvents(
            group: group, streamNames: input.logStreamNames, streamPrefix: input.logStreamNamePrefix,
            startTime: input.startTime, endTime: input.endTime, filterPattern: input.filterPattern,
            limit: input.limit, nextToken: input.nextToken)
        let streams = Set(page.events.map(\.stream)).sorted()
        return try json(FilterLogEventsResponse(
            events: page.events.map {
                FilteredLogEvent(logStreamName: $0.stream, timestamp: $0.timestamp, message: $0.message,
                                 ingestionTime: $0.ingestionTime, eventId: Self.eventId($0))
            },
            searchedLogStreams: streams.map { SearchedLogStream(logStreamName: $0, searchedCompletely: page.nextToken == nil) },
            nextToken: page.nextToken))
    }

    /// A 56-digit id as AWS's look: the event's place (timestamp, row id), unique in the store.
    static func eventId(_ event: StoredLogEvent) -> String {
        let t = String(max(0, event.timestamp))
        let i = String(event.id)
        return String(repeating: "0", count: max(0, 28 - t.count)) + t + String(repeating: "0", count: max(0, 28 - i.count)) + i
    }
}
