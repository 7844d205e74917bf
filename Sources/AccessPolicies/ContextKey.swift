/// A condition context key, or the key a policy variable names, resolved once when a policy is compiled.
/// Names are case-insensitive (`aws:CurrentTime` is `AWS:currenttime`); the keys that describe the principal
/// or the time have their own cases because the evaluator supplies them itself.
enum ContextKey: Sendable, Equatable {
    case principalArn
    case principalAccount
    case principalType
    case userId
    case username
    case principalServiceName
    case principalIsAWSService
    case currentTime
    case epochTime
    /// Any other key, looked up in the request's context; the name is kept lower-cased, with its hash.
    case named(String, hash: UInt64)

    init(_ name: String) {
        let lower = asciiLowercased(name)
        switch lower {
        case "aws:principalarn": self = .principalArn
        case "aws:principalaccount": self = .principalAccount
        case "aws:principaltype": self = .principalType
        case "aws:userid": self = .userId
        case "aws:username": self = .username
        case "aws:principalservicename": self = .principalServiceName
        case "aws:principalisawsservice": self = .principalIsAWSService
        case "aws:currenttime": self = .currentTime
        case "aws:epochtime": self = .epochTime
        default: self = .named(lower, hash: foldedHash(lower))
        }
    }
}

/// The values a request's context holds for one key, without copying them.
enum ContextValues {
    case absent
    case one(String)
    case many([String])
    /// `aws:CurrentTime` or `aws:EpochTime` supplied by the evaluator: seconds since 1970, formatted only if a
    /// string operator asks for text.
    case instant(Double, epoch: Bool)

    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }

    /// The key's value when it has exactly one, as a policy variable needs; nil for absent or multivalued keys.
    var single: String? {
        switch self {
        case .absent: nil
        case .one(let value): value
        case .many(let values): values.count == 1 ? values[0] : nil
        case .instant(let seconds, let epoch): epoch ? Timestamp.epochText(seconds) : Timestamp.iso8601(seconds)
        }
    }

    /// Whether `body` holds for some value (false when absent).
    func contains(where body: (ContextValue) -> Bool) -> Bool {
        switch self {
        case .absent: return false
        case .one(let value): return body(.text(value))
        case .many(let values):
            for value in values where body(.text(value)) { return true }
            return false
        case .instant(let seconds, let epoch): return body(.instant(seconds, epoch: epoch))
        }
    }

    /// Whether `body` holds for every value (true when absent).
    func allSatisfy(_ body: (ContextValue) -> Bool) -> Bool {
        !contains { !body($0) }
    }
}

/// One value of a context key.
enum ContextValue {
    case text(String)
    case instant(Double, epoch: Bool)

    /// The value as text; an evaluator-supplied time is formatted as AWS presents it.
    var text: String {
        switch self {
        case .text(let value): value
        case .instant(let seconds, let epoch): epoch ? Timestamp.epochText(seconds) : Timestamp.iso8601(seconds)
        }
    }
}

/// ASCII-only lower-casing: IAM names, keys and actions are ASCII, and folding only ASCII keeps compile-time and
/// evaluation-time folding identical.
func asciiLowercased(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
    return String(decoding: text.utf8.map(foldASCII), as: UTF8.self)
}

/// FNV-1a over ASCII-folded UTF-8: the same for `aws:SourceIp` and `AWS:sourceip`.
func foldedHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(foldASCII(byte))) &* 0x0000_0100_0000_01B3 }
    return hash
}

func foldedHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(foldASCII(byte))) &* 0x0000_0100_0000_01B3 }
    return hash
}

@inline(__always)
func foldASCII(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
}
