import JSONText

/// What a target receives for an event: the event itself, a constant (`Input`), a part of it (`InputPath`), or a
/// template filled from it (`InputTransformer`), as AWS's "Transforming target input" documents.
public enum TargetInput: Sendable, Equatable {
    case event
    case constant(String)
    case path(EventJSONPath)
    case template(CompiledInputTemplate)

    /// Validates a target's input members (at most one of them; JSON where JSON is needed); the error names the target.
    public init(_ target: EventTarget) throws(EventsError) {
        let given = [target.Input != nil, target.InputPath != nil, target.InputTransformer != nil].filter { $0 }.count
        guard given <= 1 else {
            throw .validation("Only one of Input, InputPath, or InputTransformer can be specified for target \(target.Id).")
        }
        if let input = target.Input {
            guard JSONText(parsing: Array(input.utf8)) != nil else {
                throw .validation("Input for target \(target.Id) is not valid JSON text.")
            }
            self = .constant(input)
        } else if let path = target.InputPath {
            guard let parsed = EventJSONPath(parsing: path) else {
                throw .validation("Parameter InputPath for target \(target.Id) is not a valid JsonPath: \(path)")
            }
            self = .path(parsed)
        } else if let transformer = target.InputTransformer {
            self = .template(try CompiledInputTemplate(transformer, targetId: target.Id))
        } else {
            self = .event
        }
    }

    /// The payload for one event; `event.text` as is when there is nothing to transform.
    public func render(_ event: EventEnvelope, rule: RuleContext) -> String {
        switch self {
        case .event: return event.text
        case .constant(let text): return text
        case .path(let path): return path.evaluate(event.json).map(JSONTextWriter.write) ?? ""
        case .template(let template): return template.render(event, rule: rule)
        }
    }
}

/// What the predefined template variables name: the rule that matched.
public struct RuleContext: Sendable {
    public var arn: String
    public var name: String

    public init(arn: String, name: String) {
        self.arn = arn
        self.name = name
    }
}
