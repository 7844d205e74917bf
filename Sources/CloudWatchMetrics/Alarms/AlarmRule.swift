/// A composite alarm's `AlarmRule`: `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)` (a name or an alarm ARN,
/// quoted or not), `TRUE`, `FALSE`, `NOT`, `AND`, `OR` (loosest) and parentheses.
public indirect enum AlarmRule: Sendable, Equatable {
    case state(String, alarm: String)
    case constant(Bool)
    case not(AlarmRule)
    case and(AlarmRule, AlarmRule)
    case or(AlarmRule, AlarmRule)

    public static let maxLength = 10_240
    static let states = ["ALARM", "OK", "INSUFFICIENT_DATA"]

    /// Parses `text`; alarm ARNs become names (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`).
    public init(parsing text: String) throws(MetricsError) {
        guard text.count <= Self.maxLength else {
            throw MetricsError.validation("AlarmRule is longer than \(Self.maxLength) characters.")
        }
        var parser = Parser(chars: Array(text))
        self = try parser.or()
        parser.skipSpaces()
        guard parser.i == parser.chars.count else {
            throw MetricsError.validation("AlarmRule: unexpected '\(String(parser.chars[parser.i...]))'.")
        }
    }

    /// The alarms the rule reads.
    public var alarms: Set<String> {
        switch self {
        case .state(_, let alarm): [alarm]
        case .constant: []
        case .not(let r): r.alarms
        case .and(let a, let b), .or(let a, let b): a.alarms.union(b.alarms)
        }
    }

    /// The rule's value given each alarm's state (an alarm not known is in no state).
    public func evaluate(_ states: [String: String]) -> Bool {
        switch self {
        case .state(let state, let alarm): states[alarm] == state
        case .constant(let value): value
        case .not(let r): !r.evaluate(states)
        case .and(let a, let b): a.evaluate(states) && b.evaluate(states)
        case .or(let a, let b): a.evaluate(states) || b.evaluate(states)
        }
    }

    struct Parser {
        let chars: [Character]
        var i = 0

        mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

        /// Takes `word` when it is next as a whole word.
        mutating func take(_ word: String) -> Bool {
            skipSpaces()
            let end = i + word.count
            guard end <= chars.count, String(chars[i..<end]) == word else { return false }
            if end < chars.count, chars[end].isLetter || chars[end] == "_" { return false }
            i = end
            return true
        }

        mutating func or() throws(MetricsError) -> AlarmRule {
            var left = try and()
            while take("OR") { left = .or(left, try and()) }
            return left
        }

        mutating func and() throws(MetricsError) -> AlarmRule {
            var left = try unary()
            while take("AND") { left = .and(left, try unary()) }
            return left
        }

        mutating func unary() throws(MetricsError) -> AlarmRule {
            if take("NOT") { return .not(try unary()) }
            if take("TRUE") { return .constant(true) }
            if take("FALSE") { return .constant(false) }
            skipSpaces()
            if i < chars.count, chars[i] == "(" {
                i += 1
                let inner = try or()
                try expect(")")
                return inner
            }
            for state in AlarmRule.states where take(state) {
                try expect("(")
                skipSpaces()
                var name = ""
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    while i < chars.count, chars[i] != "\"" { name.append(chars[i]); i += 1 }
                    try expect("\"")
                } else {
                    while i < chars.count, chars[i] != ")" { name.append(chars[i]); i += 1 }
                    name = name.trimmingCharacters(in: .whitespaces)
                }
                try expect(")")
                guard !name.isEmpty else { throw MetricsError.validation("AlarmRule: \(state)() names no alarm.") }
                if name.hasPrefix("arn:"), let range = name.range(of: ":alarm:") { name = String(name[range.upperBound...]) }
                return .state(state, alarm: name)
            }
            let rest = String(chars[min(i, chars.count)...].prefix(20))
            throw MetricsError.validation("AlarmRule: expected ALARM(…), OK(…), INSUFFICIENT_DATA(…), TRUE, FALSE, NOT or '(' at '\(rest)'.")
        }

        mutating func expect(_ c: Character) throws(MetricsError) {
            skipSpaces()
            guard i < chars.count, chars[i] == c else { throw MetricsError.validation("AlarmRule: expected '\(c)'.") }
            i += 1
        }
    }
}

import Foundation
