/// A lexical token of a filter expression.
enum FilterToken: Equatable {
    case word(String)
    case string(String)
    case number(Double)
    case symbol(String)

    /// Splits `text` into tokens; a word is letters, digits, `_`, `.`, `-`, `:` (keys like `annotation.my_key`).
    static func tokenize(_ text: String) throws(FilterSyntaxError) -> [FilterToken] {
        var tokens: [FilterToken] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "\"" {
                var value = ""
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count {
                        value.append(chars[i + 1])
                        i += 2
                        continue
                    }
                    if chars[i] == "\"" { closed = true; i += 1; break }
                    value.append(chars[i])
                    i += 1
                }
                guard closed else { throw FilterSyntaxError("unterminated string") }
                tokens.append(.string(value))
                continue
            }
            if c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber && !(tokens.last.map(Self.endsOperand) ?? false)) {
                var j = i + 1
                while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "e" || chars[j] == "E" { j += 1 }
                guard let value = Double(String(chars[i..<j])) else { throw FilterSyntaxError("invalid number \(String(chars[i..<j]))") }
                tokens.append(.number(value))
                i = j
                continue
            }
            if c.isLetter || c == "_" {
                var j = i + 1
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." || chars[j] == "-" { j += 1 }
                tokens.append(.word(String(chars[i..<j])))
                i = j
                continue
            }
            let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
            if ["<=", ">=", "!=", "&&", "||"].contains(two) {
                tokens.append(.symbol(two))
                i += 2
                continue
            }
            if "()=<>!{}[],:".contains(c) {
                tokens.append(.symbol(String(c)))
                i += 1
                continue
            }
            throw FilterSyntaxError("unexpected character '\(c)'")
        }
        return tokens
    }

    static func endsOperand(_ token: FilterToken) -> Bool {
        switch token {
        case .word, .string, .number: return true
        case .symbol(let s): return s == ")"
        }
    }
}

/// A filter expression that could not be parsed, and why.
public struct FilterSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
