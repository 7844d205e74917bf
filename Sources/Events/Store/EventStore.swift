/// Persistence of buses and rules (with their targets and tags). The domain keeps all of them in memory and
/// writes each change through before it answers.
public protocol EventStore: EventArchiveStore {
    func loadEventBuses() async throws -> [EventBus]
    func saveEventBus(_ bus: EventBus) async throws
    /// Removes the bus and its rules.
    func deleteEventBus(named name: String) async throws
    func loadEventRules() async throws -> [EventRule]
    func saveEventRule(_ rule: EventRule) async throws
    func deleteEventRule(_ key: RuleKey) async throws
}
