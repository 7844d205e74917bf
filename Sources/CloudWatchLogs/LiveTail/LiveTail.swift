import Foundation
import ServiceLifecycle
import Synchronization

/// Live Tail (StartLiveTail): the sessions open now and the fan-out of newly ingested events to them — function logs
/// from the log writer's batches, PutLogEvents from its request. Publishing costs one lock read when no session is
/// open. A service: at graceful shutdown every session is closed, so open streams end and the server can stop.
public final class LiveTail: Service, Sendable {
    /// CloudWatch Logs allows 15 concurrent Live Tail sessions per account.
    public static let maxSessions = 15

    private let sessions = Mutex<[String: LiveTailSession]>([:])

    public init() {}

    public var isEmpty: Bool { sessions.withLock { $0.isEmpty } }

    public func publish(group: String, stream: String, events: [(message: String, timestamp: Int64)], ingestionTime: Int64) {
        let open = sessions.withLock { Array($0.values) }
        for session in open where session.wants(group: group, stream: stream) {
            session.offer(group: group, stream: stream, events: events, ingestionTime: ingestionTime)
        }
    }

    func add(_ session: LiveTailSession) throws(LogsError) {
        try sessions.withLock { (s: inout [String: LiveTailSession]) throws(LogsError) in
            guard s.count < Self.maxSessions else {
                throw LogsError.limitExceeded("Your account has reached the limit of \(Self.maxSessions) concurrent Live Tail sessions.")
            }
            s[session.id] = session
        }
    }

    public func remove(_ session: LiveTailSession) {
        session.close()
        _ = sessions.withLock { $0.removeValue(forKey: session.id) }
    }

    public func closeAll() {
        for session in sessions.withLock({ Array($0.values) }) { session.close() }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        closeAll()
    }
}
