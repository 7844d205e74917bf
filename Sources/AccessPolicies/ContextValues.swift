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
