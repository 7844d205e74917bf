/// A recursive-descent reader of metric math, loosest binding first:
/// or := and (('OR'|'||') and)*; and := comparison (('AND'|'&&') comparison)*;
/// comparison := sum (('<'|'<='|'>'|'>='|'=='|'!=') sum)?; sum := product (('+'|'-') product)*;
/// product := power (('*'|'/') power)*; power := unary ('^' unary)*; unary := '-' unary | primary;
/// primary := number | 'string' | "string" | [ or, … ] | NAME '(' or, … ')' | id | KEYWORD | '(' or ')'.
struct MetricExpressionParser {
    let chars: [Character]
    var i = 0

    init(_ chars: [Character]) { self.chars = chars }

    var atEnd: Bool { i >= chars.count }
    var rest: String { String(chars[min(i, chars.count)...]) }

    mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    mutating func expression() throws(MetricsError) -> MetricExpression {
        try chain(["OR", "||"]) { (p: inout Self) throws(MetricsError) in
            try p.chain(["AND", "&&"]) { (p: inout Self) throws(MetricsError) in try p.comparison() }
        }
    }

    mutating func comparison() throws(MetricsError) -> MetricExpression {
        let left = try sum()
        guard let op = take(["<=", ">=", "==", "!=", "<", ">"]) else { return left }
        return .binary(op, left, try sum())
    }

    mutating func sum() throws(MetricsError) -> MetricExpression {
        try chain(["+", "-"]) { (p: inout Self) throws(MetricsError) in
            try p.chain(["*", "/"]) { (p: inout Self) throws(MetricsError) in
                try p.chain(["^"]) { (p: inout Self) throws(MetricsError) in try p.unary() }
            }
        }
    }

    /// `operand (op operand)*`, left-associative.
    mutating func chain(_ ops: [String], _ operand: (inout Self) throws(MetricsError) -> MetricExpression) throws(MetricsError) -> MetricExpression {
        var left = try operand(&self)
        while let op = take(ops) {
            left = .binary(op == "||" ? "OR" : op == "&&" ? "AND" : op, left, try operand(&self))
        }
        return left
    }

    /// The first of `ops` written next (a word operator only as a whole word), consumed.
    mutating func take(_ ops: [String]) -> String? {
        skipSpaces()
        for op in ops {
            let end = i + op.count
            guard end <= chars.count, String(chars[i..<end]).uppercased() == op else { continue }
            if op.first!.isLetter, end < chars.count, chars[end].isLetter || chars[end].isNumber || chars[end] == "_" { continue }
            // `<` must not take the first half of `<=` (the longer ones are tried first).
            i = end
            return op
        }
        return nil
    }

    mutating func word() -> String {
        var w = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { w.append(chars[i]); i += 1 }
        return w
    }

    mutating func expect(_ c: Character) throws(MetricsError) {
        skipSpaces()
        guard i < chars.count, chars[i] == c else { throw MetricsError.validation("Metrics expression: expected '\(c)' at '\(rest)'.") }
        i += 1
    }

    mutating func unary() throws(MetricsError) -> MetricExpression {
        skipSpaces()
        if i < chars.count, chars[i] == "-" {
            i += 1
            return .negate(try unary())
        }
        return try primary()
    }

    /// `item, item, …` up to `close` (which is consumed).
    mutating func items(until close: Character) throws(MetricsError) -> [MetricExpression] {
        skipSpaces()
        if i < chars.count, chars[i] == close { i += 1; return [] }
        var out: [MetricExpression] = []
        while true {
            out.append(try expression())
            skipSpaces()
            if i < chars.count, chars[i] == "," { i += 1; continue }
            try expect(close)
            return out
        }
    }

    mutating func primary() throws(MetricsError) -> MetricExpression {
        skipSpaces()
        guard i < chars.count else { throw MetricsError.validation("Metrics expression: it ends where a value was expected.") }
        let c = chars[i]
        switch c {
        case "(":
            i += 1
            let inner = try expression()
            try expect(")")
            return inner
        case "[":
            i += 1
            return .list(try items(until: "]"))
        case "'", "\"":
            i += 1
            var text = ""
            while i < chars.count, chars[i] != c { text.append(chars[i]); i += 1 }
            try expect(c)
            return .string(text)
        case _ where c.isNumber || c == ".":
            var digits = ""
            while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "e" || chars[i] == "E" { digits.append(chars[i]); i += 1 }
            guard let n = Double(digits) else { throw MetricsError.validation("Metrics expression: '\(digits)' is not a number.") }
            return .number(n)
        default:
            break
        }
        let name = word()
        guard !name.isEmpty else { throw MetricsError.validation("Metrics expression: unexpected '\(c)'.") }
        skipSpaces()
        if i < chars.count, chars[i] == "(" {
            let function = name.uppercased()
            guard MetricMathFunctions.names.contains(function) else {
                throw MetricsError.validation("Metrics expression: the function \(name) is not supported by Swiftlet (supported: \(MetricMathFunctions.names.sorted().joined(separator: ", "))).")
            }
            i += 1
            return .call(function, try items(until: ")"))
        }
        // Ids start with a lower-case letter; an upper-case word is an argument of a function.
        if name.first!.isUppercase, name == name.uppercased() { return .keyword(name) }
        return .reference(name)
    }
}
