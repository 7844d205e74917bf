/// Persistence of event source mappings.
public protocol MappingStore: Sendable {
    func putMapping(_ mapping: EventSourceMapping) async throws
    func mapping(_ uuid: String) async throws -> EventSourceMapping?
    /// Every mapping, ordered by UUID.
    func mappings() async throws -> [EventSourceMapping]
    /// False when there was none.
    func deleteMapping(_ uuid: String) async throws -> Bool
}
