import AWSProtocol
import Delivery
import EventPatterns
import Foundation
import Logging
import Synchronization

/// EventBridge's semantics: buses and their resource policies, rules and targets (kept in memory, written through
/// to the `EventStore`), and PutEvents — entries checked, turned into events, matched against the bus's indexed
/// rules and handed to the one delivery path as one durable batch before the caller gets its event ids.
public final class EventBridge: Sendable {
    public let arns: EventARNs
    let store: any EventStore
    /// Stores deliveries durably (one transaction for all of them) and wakes the delivery loop.
    let accept: @Sendable ([Delivery]) async throws -> Void
    let logger: Logger
    let clock: @Sendable () -> Date
    let mutations = SerialMutations()
    let state = Mutex(State())
    /// Rules with a schedule are told here when they change (the schedule-rule timers).
    let scheduleObserver = Mutex<(any ScheduleRuleObserver)?>(nil)

    public static let maxRulesPerBus = 2_000
    public static let maxTargetsPerRule = 5
    public static let servicePrincipal = "events.amazonaws.com"

    struct State {
        var buses: [String: EventBus] = [:]
        var rules: [RuleKey: CompiledRule] = [:]
        var indexes: [String: RuleIndex] = [:]
        var archives: [String: EventArchive] = [:]
        /// Per bus, its archives and their parsed patterns (nil: everything).
        var archivesByBus: [String: [(name: String, pattern: EventPattern?)]] = [:]
        var replays: [String: EventReplay] = [:]
    }

    /// Replays to run, in order (`ReplayRunner` takes them).
    let replayQueue = AsyncStream<String>.makeStream()

    public init(store: any EventStore, arns: EventARNs, logger: Logger,
                clock: @escaping @Sendable () -> Date = { Date() },
                accept: @escaping @Sendable ([Delivery]) async throws -> Void) {
        self.store = store
        self.arns = arns
        self.logger = logger
        self.clock = clock
        self.accept = accept
    }

    /// Reads buses and rules from the store; the default bus exists from the first start on.
    public func load() async throws {
        var buses = try await store.loadEventBuses()
        if !buses.contains(where: { $0.name == EventBus.defaultName }) {
            let bus = EventBus(name: EventBus.defaultName, creationTime: clock().timeIntervalSince1970)
            try await store.saveEventBus(bus)
            buses.append(bus)
        }
        let rules = try await store.loadEventRules()
        let archives = try await store.loadEventArchives()
        let replays = try await store.loadEventReplays()
        let arns = self.arns
        state.withLock { state in
            state.archives = Dictionary(archives.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
            Self.reindexArchives(&state)
            state.replays = Dictionary(replays.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
            state.buses = Dictionary(buses.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
            state.rules = Dictionary(rules.map { ($0.key, CompiledRule($0, arns: arns)) }, uniquingKeysWith: { $1 })
            for name in state.buses.keys { Self.reindex(&state, bus: name) }
        }
    }

    public func setScheduleObserver(_ observer: any ScheduleRuleObserver) {
        scheduleObserver.withLock { $0 = observer }
    }

    /// All rules with a schedule (the timers' owners at start).
    public var scheduledRules: [EventRule] {
        state.withLock { $0.rules.values.map(\.rule).filter { $0.scheduleExpression != nil } }
    }

    public func compiledRule(_ key: RuleKey) -> CompiledRule? {
        state.withLock { $0.rules[key] }
    }

    static func reindex(_ state: inout State, bus: String) {
        let rules = state.rules.values.filter { $0.rule.busName == bus }
        state.indexes[bus] = RuleIndex(rules)
    }

    /// The bus a name or ARN names, or the error naming what is missing.
    func existingBus(_ nameOrArn: String?) throws(EventsError) -> EventBus {
        guard let name = arns.busName(nameOrArn) else { throw .noBus(nameOrArn ?? "") }
        guard let bus = state.withLock({ $0.buses[name] }) else { throw .noBus(name) }
        return bus
    }

    /// Runs a change serialized with the others.
    func mutate<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await mutations.run(body)
    }

    var now: Double { clock().timeIntervalSince1970 }
}

/// Told when a rule's schedule must be armed (a scheduled rule created, changed or enabled) or cancelled.
public protocol ScheduleRuleObserver: Sendable {
    func ruleChanged(_ rule: EventRule) async throws
    func ruleRemoved(_ key: RuleKey) async throws
}
