import AWSProtocol
import Events

extension EventsService {
    func putRule(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutRuleRequest.self, from: request)
        var state: EventRule.State?
        if let text = input.State {
            guard let parsed = EventRule.State(rawValue: text) else {
                throw EventsError.validation("1 validation error detected: Value '\(text)' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]")
            }
            state = parsed
        }
        let arn = try await bridge.putRule(.init(
            name: input.Name, busName: input.EventBusName, eventPattern: input.EventPattern, scheduleExpression: input.ScheduleExpression,
            state: state, description: input.Description, roleArn: input.RoleArn, tags: input.Tags.map { Tag.map($0) }))
        return try json(PutRuleResponse(RuleArn: arn))
    }

    func describeRule(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(RuleNameRequest.self, from: request)
        let rule = try bridge.rule(name: input.Name, busName: input.EventBusName)
        return try json(RuleShape(rule, arn: bridge.arns.rule(rule.key), createdBy: bridge.arns.accountId))
    }

    func listRules(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(ListRulesRequest.self, from: request)
        let page = try Self.page(try bridge.rules(busName: input.EventBusName, prefix: input.NamePrefix), token: input.NextToken, limit: input.Limit)
        return try json(ListRulesResponse(Rules: page.items.map { RuleShape($0, arn: bridge.arns.rule($0.key), createdBy: nil) },
                                          NextToken: page.next))
    }

    func setRuleState(_ request: APIRequest, enabled: Bool) async throws -> APIResponse {
        let input = try decode(RuleNameRequest.self, from: request)
        try await bridge.setState(name: input.Name, busName: input.EventBusName, enabled: enabled)
        return empty()
    }

    func deleteRule(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(RuleNameRequest.self, from: request)
        try await bridge.deleteRule(name: input.Name, busName: input.EventBusName, force: input.Force ?? false)
        return empty()
    }

    func listRuleNamesByTarget(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(ListRuleNamesByTargetRequest.self, from: request)
        let page = try Self.page(try bridge.ruleNames(targetArn: input.TargetArn, busName: input.EventBusName),
                                 token: input.NextToken, limit: input.Limit)
        return try json(ListRuleNamesByTargetResponse(RuleNames: page.items, NextToken: page.next))
    }

    func testEventPattern(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(TestEventPatternRequest.self, from: request)
        return try json(TestEventPatternResponse(Result: try EventBridge.testPattern(input.EventPattern, event: input.Event)))
    }
}
