/// Parses `{ selector op value && … || … }` into a `JSONCondition`.
enum JSONPatternParser {
    static func parse(_ text: String) throws(LogsError) -> JSONCondition {
        var cursor = TokenCursor(try PatternLexer.tokens(text))
        try cursor.expect(.open("{"), "'{'")
        let condition = try orExpression(&cursor)
        try cursor.expect(.close("}"), "'}'")
        guard cursor.atEnd else { throw FilterPattern.invalid("unexpected text after '}'") }
        return condition
    }

    static func orExpression(_ cursor: inout TokenCursor) throws(LogsError) -> JSONCondition {
        var left = try andExpression(&cursor)
        while cursor.peek == .or {
            _ = cursor.next()
            left = .or(left, try andExpression(&cursor))
        }
        return left
    }

    static func andExpression(_ cursor: inout TokenCursor) throws(LogsError) -> JSONCondition {
        var left = try primary(&cursor)
        while cursor.peek == .and {
            _ = cursor.next()
            left = .and(left, try primary(&cursor))
        }
        return left
    }

    static func primary(_ cursor: inout TokenCursor) throws(LogsError) -> JSONCondition {
        if cursor.peek == .open("(") {
            _ = cursor.next()
            let inner = try orExpression(&cursor)
            try cursor.expect(.close(")"), "')'")
            return inner
        }
        guard case .word(let path)? = cursor.next() else { throw FilterPattern.invalid("expected a selector starting with '$.'") }
        let selector = try parseSelector(path)
        switch cursor.next() {
        case .op(let op)?:
            let value: PatternValue
            switch cursor.next() {
            case .quoted(let text)?: value = .text(WildcardText(text))
            case .word(let word)?: value = .bare(word)
            default: throw FilterPattern.invalid("expected a value after '\(op)'")
            }
            return .test(selector, try test(op, value))
        case .word(let keyword)? where keyword.uppercased() == "IS":
            guard case .word(let what)? = cursor.next() else { throw FilterPattern.invalid("expected TRUE, FALSE or NULL after IS") }
            switch what.uppercased() {
            case "TRUE": return .test(selector, .isTrue)
            case "FALSE": return .test(selector, .isFalse)
            case "NULL": return .test(selector, .isNull)
            default: throw FilterPattern.invalid("expected TRUE, FALSE or NULL after IS")
            }
        case .word(let keyword)? where keyword.uppercased() == "NOT":
            guard case .word(let what)? = cursor.next(), what.uppercased() == "EXISTS" else {
                throw FilterPattern.invalid("expected EXISTS after NOT")
            }
            return .test(selector, .notExists)
        case .word(let keyword)? where keyword.uppercased() == "EXISTS":
            return .test(selector, .exists)
        default:
            throw FilterPattern.invalid("expected a comparison after \(path)")
        }
    }

    static func test(_ op: String, _ value: PatternValue) throws(LogsError) -> JSONTest {
        switch op {
        case "=": return .equals(value)
        case "!=": return .notEquals(value)
        default:
            guard case .number(let n, _) = value else { throw FilterPattern.invalid("'\(op)' needs a number") }
            switch op {
            case "<": return .less(n)
            case "<=": return .lessOrEqual(n)
            case ">": return .greater(n)
            default: return .greaterOrEqual(n)
            }
        }
    }

    /// `$`, then `.name` and `[n]` steps.
    static func parseSelector(_ path: String) throws(LogsError) -> JSONSelector {
        let chars = Array(path)
        guard chars.first == "$" else { throw FilterPattern.invalid("selector '\(path)' must start with '$'") }
        var steps: [JSONSelector.Step] = []
        var i = 1
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                var name = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" { name.append(chars[i]); i += 1 }
                guard !name.isEmpty else { throw FilterPattern.invalid("empty field name in '\(path)'") }
                steps.append(.field(name))
            } else if chars[i] == "[" {
                i += 1
                var digits = ""
                while i < chars.count, chars[i] != "]" { digits.append(chars[i]); i += 1 }
                guard i < chars.count, let n = Int(digits), n >= 0 else { throw FilterPattern.invalid("bad array index in '\(path)'") }
                i += 1
                steps.append(.index(n))
            } else {
                throw FilterPattern.invalid("unexpected '\(chars[i])' in selector '\(path)'")
            }
        }
        guard !steps.isEmpty else { throw FilterPattern.invalid("selector '\(path)' names no field") }
        return JSONSelector(steps: steps)
    }
}
