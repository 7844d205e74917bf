import JSONText

/// A CloudWatch Logs filter pattern (metric filters, subscription filters, FilterLogEvents), parsed once.
///
/// Three kinds, told apart by their first character: `{ … }` matches JSON events by selectors, `[ … ]` matches
/// space-delimited events field by field, anything else is a list of terms. An empty pattern matches every event.
public enum FilterPattern: Sendable, Equatable {
    case everything
    case terms(TermPattern)
    case json(JSONCondition)
    case spaceDelimited(SpaceDelimitedPattern)

    /// Parses `text`; a pattern AWS would refuse throws `InvalidParameterException`.
    public init(parsing text: String) throws(LogsError) {
        let trimmed = text.drop(while: { $0.isWhitespace })
        guard let first = trimmed.first else {
            self = .everything
            return
        }
        switch first {
        case "{": self = .json(try JSONPatternParser.parse(String(trimmed)))
        case "[": self = .spaceDelimited(try SpaceDelimitedParser.parse(String(trimmed)))
        default:
            let terms = try TermPattern(parsing: String(trimmed))
            self = terms.isEmpty ? .everything : .terms(terms)
        }
    }

    /// Whether the event's message matches.
    public func matches(_ message: String) -> Bool {
        switch self {
        case .everything: true
        case .terms(let terms): terms.matches(message)
        case .json(let condition): condition.matches(message: message)
        case .spaceDelimited(let pattern): pattern.matches(message)
        }
    }

    /// Texts at least one group of which must all appear in a matching message (a disjunction of conjunctions), so an
    /// index can narrow the events to look at; nil when the pattern offers none (the matcher must see every event).
    public var requiredTexts: [[String]]? {
        switch self {
        case .everything, .spaceDelimited: nil
        case .terms(let terms): terms.requiredTexts
        case .json(let condition): condition.requiredTexts
        }
    }

    static func invalid(_ reason: String) -> LogsError {
        .invalidParameter("Invalid filter pattern: \(reason)")
    }
}

/// Wildcard text as filter patterns write values: `*` stands for any run of characters.
public struct WildcardText: Sendable, Equatable {
    let parts: [String]
    let hasWildcard: Bool

    public init(_ text: String) {
        parts = text.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        hasWildcard = parts.count > 1
    }

    public func matches(_ value: String) -> Bool {
        guard hasWildcard else { return value == parts[0] }
        var rest = Substring(value)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (i, part) in parts.enumerated().dropFirst() {
            if i == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            if part.isEmpty { continue }
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    /// Literal runs a matching value must contain.
    var literals: [String] { parts.filter { !$0.isEmpty } }
}
