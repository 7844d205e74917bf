import Foundation

/// Decodes a query-protocol request's parameters into a `Decodable` shape named as the service model names its
/// members: structures as `Name.Member`, lists as `Name.member.N` (1-based; `Name=` is an empty list), timestamps in
/// ISO 8601 (or epoch seconds), booleans as `true`/`false`. Maps (`Name.entry.N.key`) are not read.
public struct QueryDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from form: QueryForm) throws -> T {
        let parameters = form.parameters.filter { $0.key != "Action" && $0.key != "Version" }
        var prefixes = Set<String>()
        for key in parameters.keys {
            var part = Substring(key)
            prefixes.insert(key)
            while let dot = part.lastIndex(of: ".") {
                part = part[..<dot]
                prefixes.insert(String(part))
            }
        }
        return try T(from: QueryDecoding(storage: QueryParameters(values: parameters, prefixes: prefixes), path: "", codingPath: []))
    }

    /// ISO 8601 with or without fractional seconds and offset, or seconds since the epoch.
    static func date(_ text: String) -> Date? {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}

/// The parameters, and every dotted prefix of their names (what `contains` asks).
struct QueryParameters {
    let values: [String: String]
    let prefixes: Set<String>
}

struct QueryDecoding: Decoder {
    let storage: QueryParameters
    let path: String
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func child(_ component: String, key: any CodingKey) -> QueryDecoding {
        QueryDecoding(storage: storage, path: path.isEmpty ? component : path + "." + component, codingPath: codingPath + [key])
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(QueryKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        QueryUnkeyedContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        QuerySingleValueContainer(decoder: self)
    }

    var text: String? { storage.values[path] }

    func required() throws -> String {
        guard let text else {
            throw DecodingError.keyNotFound(codingPath.last ?? QueryIndexKey(index: 0), .init(codingPath: codingPath, debugDescription: "\(path) is required"))
        }
        return text
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == Date.self {
            let text = try required()
            guard let date = QueryDecoder.date(text) else {
                throw DecodingError.typeMismatch(Date.self, .init(codingPath: codingPath, debugDescription: "\(path): '\(text)' is not a timestamp"))
            }
            return date as! T
        }
        return try T(from: self)
    }

    func number<T: LosslessStringConvertible>(_ type: T.Type) throws -> T {
        let text = try required()
        guard let value = T(text) else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath, debugDescription: "\(path): '\(text)' is not a \(T.self)"))
        }
        return value
    }
}

struct QueryIndexKey: CodingKey {
    let index: Int
    var stringValue: String { "member.\(index + 1)" }
    var intValue: Int? { index }
    init(index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }
}

struct QueryKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: QueryDecoding
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { [] }

    func at(_ key: Key) -> QueryDecoding { decoder.child(key.stringValue, key: key) }

    func contains(_ key: Key) -> Bool { decoder.storage.prefixes.contains(at(key).path) }
    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let text = try at(key).required()
        guard text == "true" || text == "false" else {
            throw DecodingError.typeMismatch(Bool.self, .init(codingPath: codingPath + [key], debugDescription: "'\(text)' is not true or false"))
        }
        return text == "true"
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try at(key).required() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try at(key).number(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try at(key).number(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try at(key).number(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try at(key).number(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try at(key).number(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try at(key).number(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try at(key).number(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try at(key).number(UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try at(key).number(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try at(key).number(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try at(key).number(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try at(key).number(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard contains(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "\(at(key).path) is required"))
        }
        return try at(key).decode(T.self)
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try at(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try at(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { at(key) }
}

/// `Name.member.1`, `Name.member.2`, … up to the first index not sent.
struct QueryUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: QueryDecoding
    var codingPath: [any CodingKey] { decoder.codingPath }
    var currentIndex = 0
    let count: Int?

    init(decoder: QueryDecoding) {
        self.decoder = decoder
        var n = 0
        while decoder.storage.prefixes.contains(decoder.path + ".member.\(n + 1)") { n += 1 }
        self.count = n
    }

    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    mutating func next() throws -> QueryDecoding {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "no more members"))
        }
        let key = QueryIndexKey(index: currentIndex)
        currentIndex += 1
        return decoder.child("member.\(key.index + 1)", key: key)
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(T.self) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct QuerySingleValueContainer: SingleValueDecodingContainer {
    let decoder: QueryDecoding
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.text == nil }
    func decode(_ type: Bool.Type) throws -> Bool {
        let text = try decoder.required()
        guard text == "true" || text == "false" else {
            throw DecodingError.typeMismatch(Bool.self, .init(codingPath: codingPath, debugDescription: "'\(text)' is not true or false"))
        }
        return text == "true"
    }
    func decode(_ type: String.Type) throws -> String { try decoder.required() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.number(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.number(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.number(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.number(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.number(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.number(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.number(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.number(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.number(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.number(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.number(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.number(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(T.self) }
}
