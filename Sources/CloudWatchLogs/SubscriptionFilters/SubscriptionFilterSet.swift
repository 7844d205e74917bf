import Foundation
import Synchronization

/// The subscription filters in force, by log group, and where matching batches go (the delivery path).
public final class SubscriptionFilterSet: Sendable {
    private let byGroup = Mutex<[String: [(SubscriptionFilter, FilterPattern)]]>([:])
    private let sink = Mutex<(@Sendable ([SubscriptionBatch]) -> Void)?>(nil)
    private let sequence = Mutex<UInt64>(0)

    public init() {}

    public func send(to sink: @escaping @Sendable ([SubscriptionBatch]) -> Void) {
        self.sink.withLock { $0 = sink }
    }

    func replace(with filters: [SubscriptionFilter]) {
        var grouped: [String: [(SubscriptionFilter, FilterPattern)]] = [:]
        for filter in filters {
            if let pattern = try? FilterPattern(parsing: filter.filterPattern) { grouped[filter.logGroupName, default: []].append((filter, pattern)) }
        }
        byGroup.withLock { $0 = grouped }
    }

    public var isEmpty: Bool { byGroup.withLock { $0.isEmpty } }

    /// An event id as CloudWatch Logs writes them: a long string of digits, here the timestamp and a sequence.
    func eventId(_ timestamp: Int64) -> String {
        let n = sequence.withLock { s -> UInt64 in
            s &+= 1
            return s
        }
        return String(format: "%020lld%020llu", timestamp, n)
    }

    /// Sends the events of one stream that each filter of its group matches.
    public func apply(group: String, stream: String, events: [(message: String, timestampMs: Int64)]) {
        guard let filters = byGroup.withLock({ $0[group] }), !filters.isEmpty else { return }
        var batches: [SubscriptionBatch] = []
        for (filter, pattern) in filters {
            let matching = events.filter { pattern.matches($0.message) }
            guard !matching.isEmpty else { continue }
            batches.append(SubscriptionBatch(filter: filter, logStream: stream, events: matching.map {
                .init(id: eventId($0.timestampMs), timestamp: $0.timestampMs, message: $0.message)
            }))
        }
        if !batches.isEmpty { sink.withLock { $0 }?(batches) }
    }
}
