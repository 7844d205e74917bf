/// Parses X-Ray filter expressions (`service("api") and responsetime > 2 or !ok`). Keywords and operators are
/// case-insensitive; `and` binds tighter than `or`; `!` negates what follows.
public struct FilterParser {
    private var tokens: [FilterToken]
    private var position = 0

    /// The expression `text` means.
    public static func parse(_ text: String) throws(FilterSyntaxError) -> FilterExpression {
        var parser = FilterParser(tokens: try FilterToken.tokenize(text))
        guard !parser.tokens.isEmpty else { throw FilterSyntaxError("empty expression") }
        let expression = try parser.orExpression()
        guard parser.position == parser.tokens.count else {
            throw FilterSyntaxError("unexpected \(parser.describe(parser.tokens[parser.position]))")
        }
        return expression
    }

    private init(tokens: [FilterToken]) {
        self.tokens = tokens
    }

    private var current: FilterToken? { position < tokens.count ? tokens[position] : nil }

    private func describe(_ token: FilterToken) -> String {
        switch token {
        case .word(let w): return "'\(w)'"
        case .string(let s): return "\"\(s)\""
        case .number(let n): return "\(n)"
        case .symbol(let s): return "'\(s)'"
        }
    }

    private mutating func take(symbol: String) -> Bool {
        if current == .symbol(symbol) { position += 1; return true }
        return false
    }

    private mutating func take(word: String) -> Bool {
        if case .word(let w) = current, w.lowercased() == word { position += 1; return true }
        return false
    }

    private mutating func expect(symbol: String) throws(FilterSyntaxError) {
        guard take(symbol: symbol) else {
            throw FilterSyntaxError("expected '\(symbol)'" + (current.map { " before \(describe($0))" } ?? " at the end"))
        }
    }

    private mutating func orExpression() throws(FilterSyntaxError) -> FilterExpression {
        var left = try andExpression()
        while take(word: "or") || take(symbol: "||") {
            left = .or(left, try andExpression())
        }
        return left
    }

    private mutating func andExpression() throws(FilterSyntaxError) -> FilterExpression {
        var left = try unary()
        while take(word: "and") || take(symbol: "&&") {
            left = .and(left, try unary())
        }
        return left
    }

    private mutating func unary() throws(FilterSyntaxError) -> FilterExpression {
        if take(symbol: "!") || take(word: "not") { return .not(try unary()) }
        return try primary()
    }

    private mutating func primary() throws(FilterSyntaxError) -> FilterExpression {
        guard let token = current else { throw FilterSyntaxError("unexpected end of expression") }
        if take(symbol: "(") {
            let inner = try orExpression()
            try expect(symbol: ")")
            return inner
        }
        guard case .word(let raw) = token else { throw FilterSyntaxError("unexpected \(describe(token))") }
        position += 1
        let word = raw.lowercased()
        if let flag = FilterFlag(rawValue: word) { return .flag(flag) }
        if let keyword = FilterNumberKeyword(rawValue: word) {
            let comparison = try comparison(numeric: true)
            return .number(keyword, comparison, try numberValue())
        }
        if word == "http.status" {
            let comparison = try comparison(numeric: true)
            return .httpStatus(comparison, try numberValue())
        }
        if let keyword = FilterTextKeyword(rawValue: word) {
            let comparison = try comparison(numeric: false)
            guard case .string(let value) = current else { throw FilterSyntaxError("\(raw) compares with a quoted string") }
            position += 1
            return .text(keyword, comparison, value)
        }
        if word.hasPrefix("annotation.") || word == "annotation" {
            var key = String(raw.dropFirst("annotation.".count))
            if word == "annotation" {
                try expect(symbol: "[")
                guard case .word(let k) = current else { throw FilterSyntaxError("expected an annotation key after 'annotation['") }
                position += 1
                key = k
                try expect(symbol: "]")
            }
            guard !key.isEmpty else { throw FilterSyntaxError("expected an annotation key after 'annotation.'") }
            guard let comparison = try optionalComparison() else { return .annotation(key, nil, nil) }
            let value: FilterValue
            switch current {
            case .string(let s): value = .string(s)
            case .number(let n): value = .number(n)
            case .word(let w) where w.lowercased() == "true": value = .bool(true)
            case .word(let w) where w.lowercased() == "false": value = .bool(false)
            default: throw FilterSyntaxError("annotation.\(key) compares with a string, number or boolean")
            }
            position += 1
            return .annotation(key, comparison, value)
        }
        if word == "service" {
            try expect(symbol: "(")
            var name: String?
            var type: String?
            if case .string(let s) = current {
                position += 1
                name = s
            } else if take(word: "id") {
                (name, type) = try idArguments()
            } else if current != .symbol(")") {
                throw FilterSyntaxError("service() takes a quoted name or id(name: …, type: …)")
            }
            try expect(symbol: ")")
            return .service(name: name, type: type, flag: try serviceFlag())
        }
        if word == "id" {
            let (name, type) = try idArguments()
            return .service(name: name, type: type, flag: try serviceFlag())
        }
        throw FilterSyntaxError("unknown keyword '\(raw)'")
    }

    /// `(name: "n", type: "t")`, either argument optional.
    private mutating func idArguments() throws(FilterSyntaxError) -> (String?, String?) {
        try expect(symbol: "(")
        var name: String?
        var type: String?
        repeat {
            guard case .word(let key) = current else { break }
            position += 1
            try expect(symbol: ":")
            guard case .string(let value) = current else { throw FilterSyntaxError("id(\(key): …) takes a quoted string") }
            position += 1
            switch key.lowercased() {
            case "name": name = value
            case "type": type = value
            default: throw FilterSyntaxError("id() takes name and type, not \(key)")
            }
        } while take(symbol: ",")
        try expect(symbol: ")")
        return (name, type)
    }

    /// `{ fault }` after a service: a flag of that service's segments.
    private mutating func serviceFlag() throws(FilterSyntaxError) -> FilterFlag? {
        guard take(symbol: "{") else { return nil }
        guard case .word(let w) = current, let flag = FilterFlag(rawValue: w.lowercased()) else {
            throw FilterSyntaxError("expected ok, error, fault or throttle inside { }")
        }
        position += 1
        try expect(symbol: "}")
        return flag
    }

    private mutating func optionalComparison() throws(FilterSyntaxError) -> FilterComparison? {
        switch current {
        case .symbol(let s):
            guard let comparison = FilterComparison(rawValue: s) else { return nil }
            position += 1
            return comparison
        case .word(let w):
            guard let comparison = FilterComparison(rawValue: w.uppercased()),
                  [.contains, .beginsWith, .endsWith].contains(comparison) else { return nil }
            position += 1
            return comparison
        default:
            return nil
        }
    }

    private mutating func comparison(numeric: Bool) throws(FilterSyntaxError) -> FilterComparison {
        guard let comparison = try optionalComparison() else {
            throw FilterSyntaxError("expected a comparison operator" + (current.map { " before \(describe($0))" } ?? " at the end"))
        }
        if numeric, [.contains, .beginsWith, .endsWith].contains(comparison) {
            throw FilterSyntaxError("\(comparison.rawValue) compares strings, not numbers")
        }
        if !numeric, [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(comparison) {
            throw FilterSyntaxError("\(comparison.rawValue) compares numbers, not strings")
        }
        return comparison
    }

    private mutating func numberValue() throws(FilterSyntaxError) -> Double {
        guard case .number(let value) = current else {
            throw FilterSyntaxError("expected a number" + (current.map { " instead of \(describe($0))" } ?? " at the end"))
        }
        position += 1
        return value
    }
}
