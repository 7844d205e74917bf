import AWSProtocol
import Foundation
import Logging

/// CloudWatch Logs' operations over a `LogStore`: validation with AWS's messages, paging tokens, PutLogEvents'
/// rules, GetLogEvents' tokens and FilterLogEvents' filter patterns. The wire (`LogsAPI`) calls it with plain values.
public struct LogsDirectory: Sendable {
    public let store: any LogStore
    public let arns: LogARNs
    let janitor: LogJanitor?
    let clock: @Sendable () -> Int64
    /// Metric filters' persistence (nil: not served) and the filters in force.
    let metricFilterStore: (any MetricFilterStore)?
    public let metricFilters: MetricFilterSet
    /// Subscription filters' persistence (nil: not served) and the filters in force.
    let subscriptionFilterStore: (any SubscriptionFilterStore)?
    public let subscriptionFilters: SubscriptionFilterSet
    /// Live Tail sessions and their fan-out.
    public let liveTail: LiveTail
    /// Reloads of the filters in force run one at a time: two writes' reloads racing could otherwise publish the
    /// older read last (a filter just put missing until the next write).
    let filterReloads = OneAtATime()

    public init(store: any LogStore, arns: LogARNs, janitor: LogJanitor? = nil, metricFilterStore: (any MetricFilterStore)? = nil,
                metricFilters: MetricFilterSet = MetricFilterSet(), subscriptionFilterStore: (any SubscriptionFilterStore)? = nil,
                subscriptionFilters: SubscriptionFilterSet = SubscriptionFilterSet(), liveTail: LiveTail = LiveTail(),
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) {
        self.store = store
        self.arns = arns
        self.janitor = janitor
        self.metricFilterStore = metricFilterStore
        self.metricFilters = metricFilters
        self.subscriptionFilterStore = subscriptionFilterStore
        self.subscriptionFilters = subscriptionFilters
        self.liveTail = liveTail
        self.clock = clock
    }

    // MARK: Log groups

    public func createLogGroup(name: String, tags: [String: String]) async throws {
        try LogNaming.validateGroupName(name)
        try LogNaming.validateTags(tags)
        try await store.createLogGroup(LogGroup(name: name, creationTime: clock(), tags: tags))
    }

    public func deleteLogGroup(name: String) async throws {
        try LogNaming.validateGroupName(name)
        try await store.deleteLogGroup(named: name)
        janitor?.nudge()
        if metricFilterStore != nil { try await loadMetricFilters() }
        if subscriptionFilterStore != nil { try await loadSubscriptionFilters() }
    }

    public func logGroup(name: String) async throws -> LogGroup {
        try LogNaming.validateGroupName(name)
        guard let group = try await store.logGroup(named: name) else { throw LogsError.logGroupNotFound }
        return group
    }

    /// One page of groups by name; the token continues after the last one.
    public func describeLogGroups(prefix: String?, pattern: String?, limit: Int?, nextToken: String?) async throws
        -> (groups: [LogGroup], nextToken: String?) {
        if let prefix { try LogNaming.validateGroupName(prefix, member: "logGroupNamePrefix") }
        if prefix != nil, pattern != nil {
            throw LogsError.invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
        }
        let limit = try Self.limit(limit, max: 50)
        let fingerprint = PageToken.fingerprint(["groups", prefix ?? "", pattern ?? ""])
        let after = try nextToken.map { try PageToken($0, request: fingerprint).name }
        let groups = try await store.logGroups(prefix: prefix, pattern: pattern?.isEmpty == true ? nil : pattern,
                                               afterName: after ?? nil, limit: limit + 1)
        let page = Array(groups.prefix(limit))
        let token = groups.count > limit ? PageToken(request: fingerprint, name: page.last?.name).text : nil
        return (page, token)
    }

    public func putRetentionPolicy(group: String, days: Int) async throws {
        try LogNaming.validateGroupName(group)
        try LogNaming.validateRetention(days)
        try await store.setRetention(group: group, days: days)
        janitor?.nudge()
    }

    public func deleteRetentionPolicy(group: String) async throws {
        try LogNaming.validateGroupName(group)
        try await store.setRetention(group: group, days: nil)
    }

    public func tagLogGroup(name: String, tags: [String: String]) async throws {
        try LogNaming.validateGroupName(name)
        try LogNaming.validateTags(tags)
        let current = try await logGroup(name: name).tags
        let keys = Set(current.keys).union(tags.keys)
        guard keys.count <= 50 else { throw LogsError.invalidParameter("A log group can have at most 50 tags.") }
        try await store.updateTags(group: name, set: tags, remove: [])
    }

    public func untagLogGroup(name: String, keys: [String]) async throws {
        try LogNaming.validateGroupName(name)
        try await store.updateTags(group: name, set: [:], remove: keys)
    }

    /// The group a tagging ARN names (`arn:aws:logs:…:log-group:<name>`, with or without `:*`).
    public func groupName(fromARN arn: String) throws -> String {
        guard let name = arns.groupName(fromARN: arn) else {
            throw LogsError.invalidParameter("Invalid resource ARN: \(arn). Only log group ARNs of this account and region can be tagged.")
        }
        return name
    }

    // MARK: Log streams

    public func createLogStream(group: String, name: String) async throws {
        try LogNaming.validateGroupName(group)
        try LogNaming.validateStreamName(name)
        try await store.createLogStream(group: group, name: name, creationTime: clock())
    }

    public func deleteLogStream(group: String, name: String) async throws {
        try LogNaming.validateGroupName(group)
        try LogNaming.validateStreamName(name)
        try await store.deleteLogStream(group: group, name: name)
        janitor?.nudge()
    }

    public func describeLogStreams(group: String, prefix: String?, orderBy: String?, descending: Bool?, limit: Int?,
                                   nextToken: String?) async throws -> (streams: [LogStream], nextToken: String?) {
        try LogNaming.validateGroupName(group)
        if let prefix { try LogNaming.validateStreamName(prefix, member: "logStreamNamePrefix") }
        let order: LogStreamOrder
        switch orderBy {
        case nil: order = .logStreamName
        case let value?:
            guard let parsed = LogStreamOrder(rawValue: value) else {
                throw LogsError.invalidParameter("1 validation error detected: Value '\(value)' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]")
            }
            order = parsed
        }
        if order == .lastEventTime, prefix != nil {
            throw LogsError.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.")
        }
        let limit = try Self.limit(limit, max: 50)
        let fingerprint = PageToken.fingerprint(["streams", group, prefix ?? "", order.rawValue, descending == true ? "d" : "a"])
        let token = try nextToken.map { try PageToken($0, request: fingerprint) }
        let streams = try await store.logStreams(group: group, query: LogStreamQuery(
            prefix: prefix, order: order, descending: descending ?? false,
            afterName: token?.name, afterTime: token?.timestamp, limit: limit + 1))
        let page = Array(streams.prefix(limit))
        var next: String?
        if streams.count > limit, let last = page.last {
            next = PageToken(request: fingerprint, timestamp: order == .lastEventTime ? (last.lastEventTimestamp ?? 0) : nil,
                             name: last.name).text
        }
        return (page, next)
    }

    // MARK: Events

    /// Stores what AWS's rules accept; returns the next sequence token and what was rejected.
    public func putLogEvents(group: String, stream: String, events: [IncomingLogEvent]) async throws
        -> (nextSequenceToken: String, rejected: RejectedEvents) {
        try LogNaming.validateGroupName(group)
        try LogNaming.validateStreamName(stream)
        let now = clock()
        guard let target = try await store.logGroup(named: group) else { throw LogsError.logGroupNotFound }
        let (accepted, rejected) = try PutLogEventsRules.check(events, now: now, retentionDays: target.retentionInDays)
        let updated: LogStream
        if accepted.isEmpty {
            updated = try await store.logStream(group: group, name: stream)
        } else {
            updated = try await store.putLogEvents(group: group, stream: stream, events: accepted, ingestionTime: now)
            metricFilters.apply(group: group, events: accepted.map { ($0.message, $0.timestamp) })
            subscriptionFilters.apply(group: group, stream: stream, events: accepted.map { ($0.message, $0.timestamp) })
            if !liveTail.isEmpty {
                liveTail.publish(group: group, stream: stream, events: accepted.map { ($0.message, $0.timestamp) }, ingestionTime: now)
            }
        }
        return (updated.uploadSequenceToken, rejected)
    }

    /// GetLogEvents: a page of one stream's events in time order and the tokens to either side.
    public func getLogEvents(group: String, stream: String, startTime: Int64?, endTime: Int64?, nextToken: String?,
                             limit: Int?, startFromHead: Bool?) async throws
        -> (events: [StoredLogEvent], forward: String, backward: String) {
        try LogNaming.validateGroupName(group)
        try LogNaming.validateStreamName(stream)
        let limit = try Self.limit(limit, max: 10_000)
        var ascending: Bool
        var position: EventPosition
        if let nextToken {
            guard let token = LogEventToken(nextToken) else {
                throw LogsError.invalidParameter("The specified nextToken is invalid.")
            }
            switch token {
            case .forward(let p): ascending = true; position = p
            case .backward(let p): ascending = false; position = p
            }
        } else if startFromHead == true {
            ascending = true; position = .start
        } else {
            ascending = false; position = .end
        }
        var events = try await store.streamEvents(StreamEventQuery(
            group: group, stream: stream, startTime: startTime, endTime: endTime, ascending: ascending,
            position: position, limit: limit))
        if !ascending { events.reverse() }
        let forward = LogEventToken.forward(events.last?.position ?? (position == .end ? .start : position))
        let backward = LogEventToken.backward(events.first?.position ?? (position == .start ? .end : position))
        return (events, forward.text, backward.text)
    }

    /// How far one FilterLogEvents call reads before it answers with what it found and a token.
    public static let filterScanBudget = 200_000
    /// Above this many index hits a scan in time order beats sorting the hits.
    static let indexHitCap = 20_000

    /// FilterLogEvents: events of the group's streams matching the pattern, in time order across streams.
    public func filterLogEvents(group: String, streamNames: [String]?, streamPrefix: String?, startTime: Int64?, endTime: Int64?,
                                filterPattern: String?, limit: Int?, nextToken: String?) async throws
        -> (events: [StoredLogEvent], nextToken: String?) {
        try LogNaming.validateGroupName(group)
        if streamNames != nil, streamPrefix != nil {
            throw LogsError.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
        }
        if let streamNames {
            guard (1...100).contains(streamNames.count) else {
                throw LogsError.invalidParameter("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and 100")
            }
            for name in streamNames { try LogNaming.validateStreamName(name, member: "logStreamNames") }
        }
        if let filterPattern, filterPattern.count > 1024 {
            throw LogsError.invalidParameter("1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024")
        }
        let limit = try Self.limit(limit, max: 10_000)
        let pattern = try FilterPattern(parsing: filterPattern ?? "")
        guard try await store.logGroup(named: group) != nil else { throw LogsError.logGroupNotFound }
        let fingerprint = PageToken.fingerprint([
            "filter", group, streamNames?.joined(separator: "\u{0}") ?? "", streamPrefix ?? "",
            startTime.map(String.init) ?? "", endTime.map(String.init) ?? "", filterPattern ?? ""])
        var after = EventPosition.start
        if let nextToken {
            let token = try PageToken(nextToken, request: fingerprint)
            after = EventPosition(timestamp: token.timestamp ?? Int64.min, id: token.id ?? Int64.min)
        }
        var texts = pattern.requiredTexts
        if let required = texts {
            let hits = try await store.indexMatchCount(required, cap: Self.indexHitCap)
            if hits == nil || hits! >= Self.indexHitCap { texts = nil }
        }
        var found: [StoredLogEvent] = []
        var scanned = 0
        let page = texts == nil ? 4_000 : Self.indexHitCap
        while true {
            try Task.checkCancellation()
            let candidates = try await store.groupEvents(GroupEventScan(
                group: group, streams: streamNames, streamPrefix: streamPrefix, startTime: startTime, endTime: endTime,
                after: after, requiredTexts: texts, limit: page))
            for event in candidates {
                after = event.position
                guard pattern.matches(event.message) else { continue }
                found.append(event)
                if found.count == limit {
                    return (found, PageToken(request: fingerprint, timestamp: after.timestamp, id: after.id).text)
                }
            }
            scanned += candidates.count
            if candidates.count < page { return (found, nil) }
            if scanned >= Self.filterScanBudget {
                return (found, PageToken(request: fingerprint, timestamp: after.timestamp, id: after.id).text)
            }
        }
    }

    static func limit(_ value: Int?, max: Int) throws(LogsError) -> Int {
        guard let value else { return max }
        guard value >= 1 else {
            throw .invalidParameter("1 validation error detected: Value '\(value)' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
        }
        guard value <= max else {
            throw .invalidParameter("1 validation error detected: Value '\(value)' at 'limit' failed to satisfy constraint: Member must have value less than or equal to \(max)")
        }
        return value
    }
}
