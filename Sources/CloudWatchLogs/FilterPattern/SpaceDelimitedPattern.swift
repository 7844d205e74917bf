/// A space-delimited filter pattern: `[ip, user, ..., status = 5*, bytes > 1000]`. Each name stands for one field of
/// the event (fields are separated by spaces; `"…"` and `[…]` each make one field), `...` for any number of fields;
/// a field may carry conditions joined by `&&` and `||`.
public struct SpaceDelimitedPattern: Sendable, Equatable {
    public enum Field: Sendable, Equatable {
        case ellipsis
        /// A named field and the conditions on it (a disjunction of conjunctions; empty: any value).
        case named(String, [[FieldComparison]])
    }

    public var fields: [Field]

    public init(fields: [Field]) {
        self.fields = fields
    }

    public func matches(_ message: String) -> Bool {
        let values = Self.split(message)
        return match(fieldIndex: 0, valueIndex: 0, values)
    }

    private func match(fieldIndex: Int, valueIndex: Int, _ values: [Substring]) -> Bool {
        if fieldIndex == fields.count { return valueIndex == values.count }
        switch fields[fieldIndex] {
        case .ellipsis:
            for skip in valueIndex...values.count where match(fieldIndex: fieldIndex + 1, valueIndex: skip, values) {
                return true
            }
            return false
        case .named(_, let conditions):
            guard valueIndex < values.count else { return false }
            let value = String(values[valueIndex])
            guard conditions.isEmpty || conditions.contains(where: { $0.allSatisfy { $0.holds(for: value) } }) else { return false }
            return match(fieldIndex: fieldIndex + 1, valueIndex: valueIndex + 1, values)
        }
    }

    /// The event's fields: runs of non-space characters, a `"…"` or `[…]` group counting as one (without its delimiters).
    static func split(_ message: String) -> [Substring] {
        var out: [Substring] = []
        var i = message.startIndex
        while i < message.endIndex {
            let c = message[i]
            if c == " " || c == "\t" { i = message.index(after: i); continue }
            if c == "\"" || c == "[" {
                let closing: Character = c == "\"" ? "\"" : "]"
                let start = message.index(after: i)
                if let end = message[start...].firstIndex(of: closing) {
                    out.append(message[start..<end])
                    i = message.index(after: end)
                    continue
                }
            }
            var j = i
            while j < message.endIndex, message[j] != " ", message[j] != "\t" { j = message.index(after: j) }
            out.append(message[i..<j])
            i = j
        }
        return out
    }
}

/// One condition on a space-delimited field: `status = 4*`, `bytes > 1000`, `user != root`.
public struct FieldComparison: Sendable, Equatable {
    public var op: String
    public var value: PatternValue

    func holds(for field: String) -> Bool {
        switch op {
        case "=": return value.equals(text: field)
        case "!=": return !value.equals(text: field)
        default:
            guard case .number(let n, _) = value, let x = Double(field) else { return false }
            switch op {
            case "<": return x < n
            case "<=": return x <= n
            case ">": return x > n
            default: return x >= n
            }
        }
    }
}

/// Parses `[field, field op value && field op value, ..., field]`.
enum SpaceDelimitedParser {
    static func parse(_ text: String) throws(LogsError) -> SpaceDelimitedPattern {
        var cursor = TokenCursor(try PatternLexer.tokens(text))
        try cursor.expect(.open("["), "'['")
        var fields: [SpaceDelimitedPattern.Field] = []
        if cursor.peek == .close("]") { throw FilterPattern.invalid("a space-delimited pattern needs at least one field") }
        while true {
            guard case .word(let name)? = cursor.next() else { throw FilterPattern.invalid("expected a field name") }
            if name == "..." {
                fields.append(.ellipsis)
            } else {
                var disjunction: [[FieldComparison]] = []
                var conjunction: [FieldComparison] = []
                if case .op = cursor.peek {
                    conjunction.append(try comparison(&cursor))
                    while cursor.peek == .and || cursor.peek == .or {
                        let isOr = cursor.next() == .or
                        guard case .word? = cursor.next() else { throw FilterPattern.invalid("expected a field name after '&&' or '||'") }
                        if isOr { disjunction.append(conjunction); conjunction = [] }
                        conjunction.append(try comparison(&cursor))
                    }
                    disjunction.append(conjunction)
                }
                fields.append(.named(name, disjunction))
            }
            switch cursor.next() {
            case .comma?: continue
            case .close("]")?:
                guard cursor.atEnd else { throw FilterPattern.invalid("unexpected text after ']'") }
                return SpaceDelimitedPattern(fields: fields)
            default: throw FilterPattern.invalid("expected ',' or ']'")
            }
        }
    }

    static func comparison(_ cursor: inout TokenCursor) throws(LogsError) -> FieldComparison {
        guard case .op(let op)? = cursor.next() else { throw FilterPattern.invalid("expected a comparison operator") }
        let value: PatternValue
        switch cursor.next() {
        case .quoted(let text)?: value = .text(WildcardText(text))
        case .word(let word)?: value = .bare(word)
        default: throw FilterPattern.invalid("expected a value after '\(op)'")
        }
        if op != "=" && op != "!=" {
            guard case .number = value else { throw FilterPattern.invalid("'\(op)' needs a number") }
        }
        return FieldComparison(op: op, value: value)
    }
}
