import Foundation

/// GetLogEvents' tokens as AWS shapes them: `f/` (events after a place) or `b/` (events before it) and 56 digits —
/// here the place's timestamp and row id, 28 digits each.
public enum LogEventToken: Sendable, Equatable {
    case forward(EventPosition)
    case backward(EventPosition)

    public var text: String {
        switch self {
        case .forward(let p): "f/" + Self.digits(p)
        case .backward(let p): "b/" + Self.digits(p)
        }
    }

    public init?(_ text: String) {
        guard text.count == 58, text.dropFirst(2).allSatisfy(\.isASCII), text.dropFirst(2).allSatisfy(\.isNumber) else { return nil }
        let body = text.dropFirst(2)
        guard let timestamp = Self.value(body.prefix(28)), let id = Self.value(body.suffix(28)) else { return nil }
        let position = EventPosition(timestamp: timestamp, id: id)
        switch text.prefix(2) {
        case "f/": self = .forward(position)
        case "b/": self = .backward(position)
        default: return nil
        }
    }

    static func digits(_ p: EventPosition) -> String {
        pad(p.timestamp) + pad(p.id)
    }

    static func pad(_ v: Int64) -> String {
        // Int64 with its sign bit flipped orders like the value and prints as at most 20 digits.
        let s = String(UInt64(bitPattern: v) ^ 0x8000_0000_0000_0000)
        return String(repeating: "0", count: 28 - s.count) + s
    }

    static func value(_ digits: Substring) -> Int64? {
        guard let u = UInt64(digits) else { return nil }
        return Int64(bitPattern: u ^ 0x8000_0000_0000_0000)
    }
}

/// FilterLogEvents' and the Describe operations' opaque `nextToken`: where the next page starts, bound to the
/// request it continues (a token is refused by a request that differs).
public struct PageToken: Sendable, Equatable, Codable {
    /// A hash of the request's parameters.
    public var request: UInt64
    /// Filter: the last event handed out (or scanned); describe: the last name (or sort key) handed out.
    public var timestamp: Int64?
    public var id: Int64?
    public var name: String?

    public init(request: UInt64, timestamp: Int64? = nil, id: Int64? = nil, name: String? = nil) {
        self.request = request
        self.timestamp = timestamp
        self.id = id
        self.name = name
    }

    public var text: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
    }

    public init(_ text: String, request: UInt64) throws(LogsError) {
        guard let data = Data(base64Encoded: text), let token = try? JSONDecoder().decode(PageToken.self, from: data),
              token.request == request else {
            throw .invalidParameter("The specified nextToken is invalid.")
        }
        self = token
    }

    /// FNV-1a over the parts of a request that a token belongs to.
    public static func fingerprint(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xFF) &* 0x100_0000_01b3
        }
        return hash
    }
}
