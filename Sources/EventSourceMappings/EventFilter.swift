import Catalog
import EventPatterns
import Foundation

/// A mapping's FilterCriteria: a message goes to the function when its record, as Lambda builds it, matches one
/// of the patterns; the others are deleted from the queue unseen. A JSON body is matched as JSON, any other
/// body as a string.
struct EventFilter: Sendable {
    /// Lambda's default quota of filters per event source mapping.
    static let maxPatterns = 5
    /// The longest pattern Lambda takes.
    static let maxPatternLength = 4096

    let patterns: [EventPattern]

    init(patterns: [EventPattern]) {
        self.patterns = patterns
    }

    /// Parses the patterns; nil or none means no filtering.
    static func parse(_ texts: [String]?) throws -> EventFilter {
        let texts = texts ?? []
        guard texts.count <= Self.maxPatterns else {
            throw LambdaError.invalidParameter(
                "The number of filters (\(texts.count)) exceeds the maximum of \(Self.maxPatterns) filters per event source mapping.")
        }
        var patterns: [EventPattern] = []
        for text in texts {
            guard text.count <= Self.maxPatternLength else {
                throw LambdaError.invalidParameter(
                    "Invalid filter pattern definition. A pattern is at most \(Self.maxPatternLength) characters long.")
            }
            do {
                patterns.append(try EventPattern(parsing: text))
            } catch {
                throw LambdaError.invalidParameter("Invalid filter pattern definition. \(error.reason)")
            }
        }
        return EventFilter(patterns: patterns)
    }

    var isEmpty: Bool { patterns.isEmpty }

    func admits(_ record: SQSEvent.Record) -> Bool {
        guard !patterns.isEmpty else { return true }
        guard let encoded = try? JSONEncoder().encode(record), case .object(var fields)? = EventJSON(parsing: encoded) else {
            return false
        }
        let body = EventJSON(parsing: Array(record.body.utf8)) ?? .string(record.body)
        fields["body"] = body
        let view = EventJSON.object(fields)
        let structured = switch body { case .object, .array: true; default: false }
        // Lambda drops a message whose body and pattern disagree in form: fields of a plain-text body, or a JSON body
        // as one string.
        return patterns.contains { pattern in
            if let wantsObject = pattern.expectsObject(at: "body"), wantsObject != structured { return false }
            return pattern.matches(view)
        }
    }
}
