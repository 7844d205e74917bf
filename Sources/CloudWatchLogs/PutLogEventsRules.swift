/// An event as PutLogEvents receives it.
public struct IncomingLogEvent: Sendable, Equatable {
    public var timestamp: Int64
    public var message: String

    public init(timestamp: Int64, message: String) {
        self.timestamp = timestamp
        self.message = message
    }
}

/// The indexes PutLogEvents reports for events it did not take.
public struct RejectedEvents: Sendable, Equatable {
    public var tooNewStartIndex: Int?
    public var tooOldEndIndex: Int?
    public var expiredEndIndex: Int?

    public init(tooNewStartIndex: Int? = nil, tooOldEndIndex: Int? = nil, expiredEndIndex: Int? = nil) {
        self.tooNewStartIndex = tooNewStartIndex
        self.tooOldEndIndex = tooOldEndIndex
        self.expiredEndIndex = expiredEndIndex
    }

    public var isEmpty: Bool { tooNewStartIndex == nil && tooOldEndIndex == nil && expiredEndIndex == nil }
}

/// AWS's rules for one PutLogEvents batch: at most 10,000 events and 1,048,576 bytes (each event's UTF-8 message
/// plus 26 bytes), in chronological order, spanning at most 24 hours. Events more than 14 days old (or older than the
/// group's retention) or more than 2 hours ahead are not stored but reported by index.
public enum PutLogEventsRules {
    public static let maxEvents = 10_000
    public static let maxBatchBytes = 1_048_576
    public static let perEventOverhead = 26
    /// Largest message accepted (1 MiB less the event overhead); CloudWatch truncates nothing, it refuses.
    public static let maxEventBytes = maxBatchBytes - perEventOverhead
    public static let maxAgeMs: Int64 = 14 * 86_400_000
    public static let maxFutureMs: Int64 = 2 * 3_600_000
    public static let maxSpanMs: Int64 = 24 * 3_600_000

    /// Checks the batch and splits it: the events to store and what to report. Throws for a batch AWS refuses whole.
    public static func check(_ events: [IncomingLogEvent], now: Int64, retentionDays: Int?) throws(LogsError)
        -> (accepted: [IncomingLogEvent], rejected: RejectedEvents) {
        guard !events.isEmpty else {
            throw .invalidParameter("1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        guard events.count <= maxEvents else {
            throw .invalidParameter("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to \(maxEvents)")
        }
        var bytes = 0
        for event in events {
            guard !event.message.isEmpty else {
                throw .invalidParameter("1 validation error detected: Value '' at 'logEvents.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            bytes += event.message.utf8.count + perEventOverhead
        }
        guard bytes <= maxBatchBytes else {
            throw .invalidParameter("Upload too large: \(bytes) bytes exceeds limit of \(maxBatchBytes)")
        }
        for i in events.indices.dropFirst() where events[i].timestamp < events[i - 1].timestamp {
            throw .invalidParameter("Log events in a single PutLogEvents request must be in chronological order.")
        }
        if let first = events.first, let last = events.last, last.timestamp - first.timestamp > maxSpanMs {
            throw .invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
        }
        var rejected = RejectedEvents()
        let tooOldBefore = now - maxAgeMs
        let expiredBefore = retentionDays.map { now - Int64($0) * 86_400_000 }
        let tooNewAfter = now + maxFutureMs
        var accepted: [IncomingLogEvent] = []
        accepted.reserveCapacity(events.count)
        for (i, event) in events.enumerated() {
            if let expiredBefore, event.timestamp < expiredBefore {
                rejected.expiredEndIndex = i
            } else if event.timestamp < tooOldBefore {
                rejected.tooOldEndIndex = i
            } else if event.timestamp > tooNewAfter {
                if rejected.tooNewStartIndex == nil { rejected.tooNewStartIndex = i }
            } else {
                accepted.append(event)
            }
        }
        return (accepted, rejected)
    }
}
