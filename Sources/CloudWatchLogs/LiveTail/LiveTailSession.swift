import Foundation
import Synchronization

/// One event as a Live Tail update carries it.
public struct LiveTailEvent: Sendable, Equatable {
    /// The log group as the session named it (name or ARN).
    public var groupIdentifier: String
    public var stream: String
    public var message: String
    public var timestamp: Int64
    public var ingestionTime: Int64
}

/// A StartLiveTail session: which groups, streams and events it wants, and what arrived since its last update — at
/// most 500 events, a uniform sample when more matched (as Live Tail samples), so a flood costs a session bounded
/// memory.
public final class LiveTailSession: Sendable {
    public static let maxEventsPerUpdate = 500

    public let id: String
    /// Group name → the identifier the caller gave for it.
    let groups: [String: String]
    let streams: Set<String>?
    let prefixes: [String]?
    let pattern: FilterPattern

    private struct State {
        var pending: [LiveTailEvent] = []
        /// Matching events since the last update (more than `pending` holds when sampled).
        var seen = 0
        var generator = SystemRandomNumberGenerator()
        var closed = false
    }
    private let state = Mutex(State())

    init(id: String, groups: [String: String], streams: Set<String>?, prefixes: [String]?, pattern: FilterPattern) {
        self.id = id
        self.groups = groups
        self.streams = streams
        self.prefixes = prefixes
        self.pattern = pattern
    }

    func wants(group: String, stream: String) -> Bool {
        guard groups[group] != nil else { return false }
        if let streams, !streams.contains(stream) { return false }
        if let prefixes, !prefixes.contains(where: { stream.hasPrefix($0) }) { return false }
        return true
    }

    /// Offers events of one group and stream (already known to be wanted).
    func offer(group: String, stream: String, events: [(message: String, timestamp: Int64)], ingestionTime: Int64) {
        guard let identifier = groups[group] else { return }
        let matching = events.filter { pattern.matches($0.message) }
        guard !matching.isEmpty else { return }
        state.withLock { s in
            guard !s.closed else { return }
            for event in matching {
                let item = LiveTailEvent(groupIdentifier: identifier, stream: stream, message: event.message,
                                         timestamp: event.timestamp, ingestionTime: ingestionTime)
                s.seen += 1
                if s.pending.count < Self.maxEventsPerUpdate {
                    s.pending.append(item)
                } else {
                    // Reservoir sampling: every event seen so far is kept with the same chance.
                    let slot = Int.random(in: 0..<s.seen, using: &s.generator)
                    if slot < Self.maxEventsPerUpdate { s.pending[slot] = item }
                }
            }
        }
    }

    /// What arrived since the last update, in time order, and whether it is a sample.
    public func drain() -> (events: [LiveTailEvent], sampled: Bool) {
        state.withLock { s in
            let out = s.pending.sorted { ($0.timestamp, $0.ingestionTime) < ($1.timestamp, $1.ingestionTime) }
            let sampled = s.seen > s.pending.count
            s.pending.removeAll(keepingCapacity: true)
            s.seen = 0
            return (out, sampled)
        }
    }

    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Ends the session: its stream stops at its next update.
    public func close() {
        state.withLock { $0.closed = true }
    }
}
