import JSONText

/// An InputTransformer compiled: the template cut into text and `<variable>` placeholders, each placeholder knowing
/// where it stands. In a JSON template a placeholder outside quotes takes a JSON value (a string quoted, anything
/// else as its JSON) and one inside quotes takes the text of a string (escaped) or the JSON of anything else; in a
/// template that is not JSON the values go in as text. A path that reaches nothing leaves `null` outside quotes
/// and nothing elsewhere. `aws.events.rule-arn`, `aws.events.rule-name`, `aws.events.event.ingestion-time`,
/// `aws.events.event` (the event without `detail`) and `aws.events.event.json` (all of it) are predefined.
public struct CompiledInputTemplate: Sendable, Equatable {
    enum Placement: Sendable, Equatable {
        case jsonValue
        case inString
        case text
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case variable(String, Placement)
    }

    static let predefined: Set<String> = [
        "aws.events.rule-arn", "aws.events.rule-name", "aws.events.event.ingestion-time", "aws.events.event", "aws.events.event.json",
    ]
    static let maxPaths = 100
    static let maxTemplateLength = 8192

    let segments: [Segment]
    let paths: [String: EventJSONPath]

    public init(_ transformer: TargetInputTransformer, targetId: String) throws(EventsError) {
        let map = transformer.InputPathsMap ?? [:]
        guard map.count <= Self.maxPaths else {
            throw .validation("InputPathsMap for target \(targetId) has \(map.count) entries; the maximum is \(Self.maxPaths).")
        }
        var paths: [String: EventJSONPath] = [:]
        for (name, path) in map {
            guard !Self.predefined.contains(name), !name.hasPrefix("aws.") else {
                throw .validation("InputTransformer for target \(targetId) defines the reserved variable \(name).")
            }
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || ($0 < 128 && Character(UnicodeScalar($0)).isLetter) || ($0 >= 48 && $0 <= 57) }) else {
                throw .validation("InputPathsMap key \(name) for target \(targetId) must match [A-Za-z0-9\\_\\-]+.")
            }
            guard let parsed = EventJSONPath(parsing: path) else {
                throw .validation("Parameter InputPathsMap for target \(targetId) has an invalid JsonPath for \(name): \(path)")
            }
            paths[name] = parsed
        }
        let template = transformer.InputTemplate
        guard !template.isEmpty, template.utf8.count <= Self.maxTemplateLength else {
            throw .validation("InputTemplate for target \(targetId) must be 1 to \(Self.maxTemplateLength) characters long.")
        }
        self.paths = paths
        self.segments = Self.segments(template, known: Set(paths.keys).union(Self.predefined))
        // A JSON template must be JSON once its placeholders are filled.
        if Self.isJSON(template) {
            var probe = ""
            for segment in segments {
                switch segment {
                case .literal(let text): probe += text
                case .variable(_, .jsonValue): probe += "null"
                case .variable: break
                }
            }
            guard JSONText(parsing: Array(probe.utf8)) != nil else {
                throw .validation("InputTemplate for target \(targetId) contains invalid JSON once its placeholders are filled.")
            }
        }
    }

    /// A template is JSON when it starts (after white space) with `{`, `[` or `"`.
    static func isJSON(_ template: String) -> Bool {
        guard let first = template.unicodeScalars.first(where: { !$0.properties.isWhitespace }) else { return false }
        return first == "{" || first == "[" || first == "\""
    }

    static func segments(_ template: String, known: Set<String>) -> [Segment] {
        let json = isJSON(template)
        let scalars = Array(template.unicodeScalars)
        var segments: [Segment] = []
        var literal = ""
        var inString = false
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "<", let close = scalars[(i + 1)...].firstIndex(of: ">") {
                var name = ""
                name.unicodeScalars.append(contentsOf: scalars[(i + 1)..<close])
                if known.contains(name) {
                    if !literal.isEmpty { segments.append(.literal(literal)) }
                    literal = ""
                    segments.append(.variable(name, json ? (inString ? .inString : .jsonValue) : .text))
                    i = close + 1
                    continue
                }
            }
            literal.unicodeScalars.append(c)
            if json {
                if c == "\\" && inString && i + 1 < scalars.count {
                    literal.unicodeScalars.append(scalars[i + 1])
                    i += 2
                    continue
                }
                if c == "\"" { inString.toggle() }
            }
            i += 1
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return segments
    }

    func render(_ event: EventEnvelope, rule: RuleContext) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .literal(let text): out += text
            case .variable(let name, let placement):
                let value: JSONText?
                switch name {
                case "aws.events.rule-arn": value = .string(rule.arn)
                case "aws.events.rule-name": value = .string(rule.name)
                case "aws.events.event.ingestion-time": value = .string(event.ingestionTime)
                case "aws.events.event":
                    if case .object(let fields) = event.json { value = .object(fields.filter { $0.key != "detail" }) } else { value = event.json }
                case "aws.events.event.json": value = event.json
                default: value = paths[name].flatMap { $0.evaluate(event.json) }
                }
                switch (placement, value) {
                case (.jsonValue, nil): out += "null"
                case (_, nil): break
                case (.jsonValue, let v?): JSONTextWriter.write(v, into: &out)
                case (.inString, .string(let s)?): JSONTextWriter.escape(s, into: &out)
                case (.text, .string(let s)?): out += s
                case (_, let v?): JSONTextWriter.write(v, into: &out)
                }
            }
        }
        return out
    }
}
