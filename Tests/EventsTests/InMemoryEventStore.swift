import Events
import Synchronization

/// An `EventStore` in memory, for the domain's tests (archives are the SQLite store's, tested end to end).
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

extension InMemoryEventStore {
    func loadEventArchives() async throws -> [EventArchive] { [] }
    func saveEventArchive(_ archive: EventArchive) async throws {}
    func deleteEventArchive(named name: String) async throws {}
    func appendArchivedEvent(archive: String, receivedAt: Int64, text: String) async throws {}
    func archivedEvents(archive: String, from: Int64, to: Int64, afterSeq: Int64, limit: Int) async throws -> [ArchivedEvent] { [] }
    func archiveStatistics(archive: String) async throws -> (count: Int64, bytes: Int64) { (0, 0) }
    func purgeArchivedEvents(archive: String, before: Int64) async throws {}
    func loadEventReplays() async throws -> [EventReplay] { [] }
    func saveEventReplay(_ replay: EventReplay) async throws {}
}
