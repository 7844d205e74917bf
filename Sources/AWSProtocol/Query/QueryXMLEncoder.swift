import Foundation

/// Encodes an `Encodable` output shape as the query protocol's XML result members: a structure's members as elements
/// named after them (nil members left out), lists as `<Name><member>…</member></Name>`, maps as
/// `<Name><entry><key>…</key><value>…</value></entry></Name>`, timestamps in ISO 8601, booleans as `true`/`false`.
public struct QueryXMLEncoder {
    public init() {}

    /// The members of `value`, to go inside `<{Action}Result>`.
    public func encode(_ value: some Encodable) throws -> [XMLNode] {
        let root = QueryNode()
        try root.encode(value, codingPath: [])
        guard case .object(let members) = root.content else { return [] }
        return members.compactMap { $0.1.xml(named: $0.0) }
    }
}

/// What one encoded value became.
final class QueryNode {
    enum Content {
        case empty
        case text(String)
        case list([QueryNode])
        case object([(String, QueryNode)])
        case map([(String, QueryNode)])
    }
    var content: Content = .empty

    func encode<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        if let date = value as? Date {
            content = .text(Self.timestamp(date))
        } else if let map = value as? any QueryMapEncodable {
            content = .map(try map.queryEntries(codingPath: codingPath))
        } else {
            try value.encode(to: QueryEncoding(node: self, codingPath: codingPath))
        }
    }

    func append(member name: String) -> QueryNode {
        let child = QueryNode()
        if case .object(var members) = content {
            members.append((name, child))
            content = .object(members)
        } else {
            content = .object([(name, child)])
        }
        return child
    }

    func appendListItem() -> QueryNode {
        let child = QueryNode()
        if case .list(var items) = content {
            items.append(child)
            content = .list(items)
        } else {
            content = .list([child])
        }
        return child
    }

    func xml(named name: String) -> XMLNode? {
        switch content {
        case .empty: return nil
        case .text(let text): return XMLNode(name, text: text)
        case .list(let items): return XMLNode(name, items.compactMap { $0.xml(named: "member") })
        case .object(let members): return XMLNode(name, members.compactMap { $0.1.xml(named: $0.0) })
        case .map(let entries):
            return XMLNode(name, entries.map { key, value in
                XMLNode("entry", [XMLNode("key", text: key)] + (value.xml(named: "value").map { [$0] } ?? []))
            })
        }
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

/// A map with string keys, written as entries.
protocol QueryMapEncodable {
    func queryEntries(codingPath: [any CodingKey]) throws -> [(String, QueryNode)]
}

extension Dictionary: QueryMapEncodable where Key == String, Value: Encodable {
    func queryEntries(codingPath: [any CodingKey]) throws -> [(String, QueryNode)] {
        try sorted { $0.key < $1.key }.map { key, value in
            let node = QueryNode()
            try node.encode(value, codingPath: codingPath)
            return (key, node)
        }
    }
}

struct QueryEncoding: Encoder {
    let node: QueryNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .empty = node.content { node.content = .object([]) }
        return KeyedEncodingContainer(QueryKeyedEncoding<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .empty = node.content { node.content = .list([]) }
        return QueryUnkeyedEncoding(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        QuerySingleValueEncoding(node: node, codingPath: codingPath)
    }
}

struct QueryKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: QueryNode
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {}
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.append(member: key.stringValue).encode(value, codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        QueryEncoding(node: node.append(member: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        QueryEncoding(node: node.append(member: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { QueryEncoding(node: node, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        QueryEncoding(node: node.append(member: key.stringValue), codingPath: codingPath + [key])
    }
}

struct QueryUnkeyedEncoding: UnkeyedEncodingContainer {
    let node: QueryNode
    var codingPath: [any CodingKey]
    var count: Int {
        if case .list(let items) = node.content { return items.count }
        return 0
    }

    mutating func encodeNil() throws {}
    mutating func encode<T: Encodable>(_ value: T) throws {
        try node.appendListItem().encode(value, codingPath: codingPath)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        QueryEncoding(node: node.appendListItem(), codingPath: codingPath).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        QueryEncoding(node: node.appendListItem(), codingPath: codingPath).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { QueryEncoding(node: node.appendListItem(), codingPath: codingPath) }
}

struct QuerySingleValueEncoding: SingleValueEncodingContainer {
    let node: QueryNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .empty }
    mutating func encode(_ value: Bool) throws { node.content = .text(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { node.content = .text(value) }
    mutating func encode(_ value: Double) throws { node.content = .text(Self.text(value)) }
    mutating func encode(_ value: Float) throws { node.content = .text(Self.text(Double(value))) }
    mutating func encode(_ value: Int) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: Int8) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: Int16) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: Int32) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: Int64) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: UInt) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: UInt8) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: UInt16) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: UInt32) throws { node.content = .text(String(value)) }
    mutating func encode(_ value: UInt64) throws { node.content = .text(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.encode(value, codingPath: codingPath) }

    /// Whole numbers without a fraction (`3`, not `3.0`), others as Swift writes them.
    static func text(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
