import Events
import Synchronization

/// An `EventStore` in memory, for the domain's tests.
final class InMemoryEventStore: EventStore {
    let buses = Mutex<[String: EventBus]>([:])
    let rules = Mutex<[RuleKey: EventRule]>([:])

    func loadEventBuses() async throws -> [EventBus] { buses.withLock { Array($0.values) } }
    func saveEventBus(_ bus: EventBus) async throws { buses.withLock { $0[bus.name] = bus } }
    func deleteEventBus(named name: String) async throws {
        buses.withLock { $0[name] = nil }
        rules.withLock { $0 = $0.filter { $0.key.bus != name } }
    }
    func loadEventRules() async throws -> [EventRule] { rules.withLock { Array($0.values) } }
    func saveEventRule(_ rule: EventRule) async throws { rules.withLock { $0[rule.key] = rule } }
    func deleteEventRule(_ key: RuleKey) async throws { _ = rules.withLock { $0.removeValue(forKey: key) } }
}
