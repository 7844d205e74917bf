/// Terms of an unstructured filter pattern: `ERROR Exception` (every term), `"phrase with spaces"`,
/// `?ERROR ?WARN` (at least one of the `?` terms), `-DEBUG` (none of the `-` terms), `%ERR(OR)?%` (a regular
/// expression). Terms match anywhere in the message and are case-sensitive.
public struct TermPattern: Sendable, Equatable {
    public var required: [String] = []
    public var optional: [String] = []
    public var excluded: [String] = []
    /// The `%…%` terms among the above, compiled.
    var regexes: [String: RegexTerm] = [:]

    public var isEmpty: Bool { required.isEmpty && optional.isEmpty && excluded.isEmpty }

    public init(required: [String] = [], optional: [String] = [], excluded: [String] = []) {
        self.required = required
        self.optional = optional
        self.excluded = excluded
    }

    init(parsing text: String) throws(LogsError) {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i].isWhitespace { i += 1; continue }
            var kind = 0  // 0 required, 1 optional, 2 excluded
            if chars[i] == "?" { kind = 1; i += 1 } else if chars[i] == "-" { kind = 2; i += 1 }
            guard i < chars.count, !chars[i].isWhitespace else {
                throw FilterPattern.invalid("'\(kind == 1 ? "?" : "-")' must be followed by a term")
            }
            var term = ""
            if chars[i] == "\"" {
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count { term.append(chars[i + 1]); i += 2; continue }
                    if chars[i] == "\"" { closed = true; i += 1; break }
                    term.append(chars[i]); i += 1
                }
                guard closed else { throw FilterPattern.invalid("unterminated quoted term") }
            } else {
                while i < chars.count, !chars[i].isWhitespace {
                    guard chars[i] != "\"" else { throw FilterPattern.invalid("Invalid character(s) in term '\(term)\"'") }
                    term.append(chars[i]); i += 1
                }
            }
            guard !term.isEmpty else { continue }
            if let regex = try RegexTerm(term: term) {
                regexes[term] = regex
                guard regexes.count <= RegexTerm.maxPerPattern else {
                    throw FilterPattern.invalid("at most \(RegexTerm.maxPerPattern) regular expressions are allowed in a filter pattern")
                }
            }
            switch kind {
            case 1: optional.append(term)
            case 2: excluded.append(term)
            default: required.append(term)
            }
        }
    }

    public func matches(_ message: String) -> Bool {
        for term in required where !has(term, message) { return false }
        for term in excluded where has(term, message) { return false }
        if !optional.isEmpty, !optional.contains(where: { has($0, message) }) { return false }
        return true
    }

    private func has(_ term: String, _ message: String) -> Bool {
        if let regex = regexes[term] { return regex.matches(message) }
        return message.contains(term)
    }

    /// Plain texts an index can narrow by (a regular expression offers none).
    var requiredTexts: [[String]]? {
        let plainRequired = required.filter { regexes[$0] == nil }
        if !plainRequired.isEmpty { return [plainRequired] }
        if !optional.isEmpty, optional.allSatisfy({ regexes[$0] == nil }) { return optional.map { [$0] } }
        return nil
    }
}
