/// A tag as EventBridge's API lists them.
struct Tag: Codable, Sendable {
    var Key: String
    var Value: String

    static func map(_ tags: [Tag]?) -> [String: String] {
        Dictionary((tags ?? []).map { ($0.Key, $0.Value) }, uniquingKeysWith: { $1 })
    }

    static func list(_ tags: [String: String]) -> [Tag] {
        tags.sorted { $0.key < $1.key }.map { Tag(Key: $0.key, Value: $0.value) }
    }
}
