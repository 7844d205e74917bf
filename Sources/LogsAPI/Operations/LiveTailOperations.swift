import AWSProtocol
import CloudWatchLogs
import Foundation
import ServiceLifecycle

/// StartLiveTail: an event stream (`application/vnd.amazon.eventstream`) of the JSON protocol's `initial-response`,
/// one `sessionStart`, then a
/// `sessionUpdate` every second (empty when nothing new matched; at most 500 events, `sampled` when more did) until
/// the client leaves, three hours pass (`SessionTimeoutException` in the stream) or the server shuts down.
extension LogsService {
    static let liveTailLimit: Duration = .seconds(3 * 3600)
    static let liveTailUpdateInterval: Duration = .seconds(1)

    func startLiveTail(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(StartLiveTailRequest.self, from: request)
        let liveTail = directory.liveTail
        let session = try await directory.startLiveTail(
            groupIdentifiers: input.logGroupIdentifiers, streamNames: input.logStreamNames,
            streamNamePrefixes: input.logStreamNamePrefixes, filterPattern: input.logEventFilterPattern)
        let start = LiveTailSessionStart(
            requestId: request.requestId, sessionId: session.id, logGroupIdentifiers: input.logGroupIdentifiers,
            logStreamNames: input.logStreamNames, logStreamNamePrefixes: input.logStreamNamePrefixes,
            logEventFilterPattern: input.logEventFilterPattern ?? "")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return .streaming(headers: [("content-type", "application/vnd.amazon.eventstream")]) { writer in
            defer { liveTail.remove(session) }
            // The JSON protocol opens an event stream with the output's other members (none here).
            try await writer.write(EventStreamMessage.event("initial-response", contentType: "application/json", payload: Array("{}".utf8)).encoded)
            try await writer.write(EventStreamMessage.event("sessionStart", contentType: "application/json",
                                                            payload: Array(try encoder.encode(start))).encoded)
            let deadline = ContinuousClock.now + Self.liveTailLimit
            try await withGracefulShutdownHandler {
                var next = ContinuousClock.now + Self.liveTailUpdateInterval
                while !session.isClosed {
                    // Short steps, so a closed session (shutdown) ends within a tenth of a second.
                    try await Task.sleep(for: min(.milliseconds(100), next - ContinuousClock.now))
                    guard ContinuousClock.now >= next else { continue }
                    next += Self.liveTailUpdateInterval
                    if ContinuousClock.now >= deadline {
                        let payload = try encoder.encode(LiveTailException(message: "Session timed out after three hours."))
                        try await writer.write(EventStreamMessage(headers: [
                            (":exception-type", "SessionTimeoutException"), (":content-type", "application/json"),
                            (":message-type", "exception"),
                        ], payload: Array(payload)).encoded)
                        return
                    }
                    let (events, sampled) = session.drain()
                    let update = LiveTailSessionUpdate(
                        sessionMetadata: .init(sampled: sampled),
                        sessionResults: events.map {
                            .init(logStreamName: $0.stream, logGroupIdentifier: $0.groupIdentifier, message: $0.message,
                                  timestamp: $0.timestamp, ingestionTime: $0.ingestionTime)
                        })
                    try await writer.write(EventStreamMessage.event("sessionUpdate", contentType: "application/json",
                                                                    payload: Array(try encoder.encode(update))).encoded)
                }
            } onGracefulShutdown: {
                session.close()
            }
        }
    }
}
