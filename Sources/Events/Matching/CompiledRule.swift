import EventPatterns

/// A rule ready for matching: its pattern parsed and its targets' inputs compiled (done once per change).
public struct CompiledRule: Sendable {
    public let rule: EventRule
    public let arn: String
    public let pattern: EventPattern?
    public let targets: [(target: EventTarget, input: TargetInput)]

    public init(_ rule: EventRule, arns: EventARNs) {
        self.rule = rule
        self.arn = arns.rule(rule.key)
        self.pattern = rule.eventPattern.flatMap { try? EventPattern(parsing: $0) }
        self.targets = rule.targets.map { target in (target, (try? TargetInput(target)) ?? .event) }
    }

    public var context: RuleContext { RuleContext(arn: arn, name: rule.name) }
}
