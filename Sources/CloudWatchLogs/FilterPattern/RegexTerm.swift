import Foundation

/// A regular-expression term of a filter pattern, `%ERROR|WARN%`: it matches when the expression matches anywhere in
/// the message. Compiled once (an `NSRegularExpression` is immutable and safe to share once made).
public struct RegexTerm: @unchecked Sendable, Equatable {
    public let source: String
    let expression: NSRegularExpression

    /// AWS allows two regular expressions per filter pattern.
    public static let maxPerPattern = 2

    /// `term` is `%…%`; nil when it is not one.
    init?(term: String) throws(LogsError) {
        guard term.count >= 3, term.first == "%", term.last == "%" else { return nil }
        source = String(term.dropFirst().dropLast())
        do {
            expression = try NSRegularExpression(pattern: source)
        } catch {
            throw FilterPattern.invalid("invalid regular expression %\(source)%")
        }
    }

    public func matches(_ message: String) -> Bool {
        expression.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)) != nil
    }

    public static func == (a: RegexTerm, b: RegexTerm) -> Bool { a.source == b.source }
}
