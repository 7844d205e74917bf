import Events

struct PutRuleRequest: Decodable {
    var Name: String
    var ScheduleExpression: String?
    var EventPattern: String?
    var State: String?
    var Description: String?
    var RoleArn: String?
    var Tags: [Tag]?
    var EventBusName: String?
}

struct PutRuleResponse: Encodable {
    var RuleArn: String
}

/// DescribeRule, EnableRule, DisableRule, DeleteRule.
struct RuleNameRequest: Decodable {
    var Name: String
    var EventBusName: String?
    var Force: Bool?
}

/// `Rule` of ListRules; DescribeRule adds `CreatedBy`.
struct RuleShape: Encodable {
    var Name: String
    var Arn: String
    var EventPattern: String?
    var ScheduleExpression: String?
    var State: String
    var Description: String?
    var RoleArn: String?
    var ManagedBy: String?
    var EventBusName: String
    var CreatedBy: String?

    init(_ rule: EventRule, arn: String, createdBy: String?) {
        Name = rule.name
        Arn = arn
        EventPattern = rule.eventPattern
        ScheduleExpression = rule.scheduleExpression
        State = rule.state.rawValue
        Description = rule.description
        RoleArn = rule.roleArn
        ManagedBy = rule.managedBy
        EventBusName = rule.busName
        CreatedBy = createdBy
    }
}

struct ListRulesRequest: Decodable {
    var NamePrefix: String?
    var EventBusName: String?
    var NextToken: String?
    var Limit: Int?
}

struct ListRulesResponse: Encodable {
    var Rules: [RuleShape]
    var NextToken: String?
}

struct ListRuleNamesByTargetRequest: Decodable {
    var TargetArn: String
    var EventBusName: String?
    var NextToken: String?
    var Limit: Int?
}

struct ListRuleNamesByTargetResponse: Encodable {
    var RuleNames: [String]
    var NextToken: String?
}

struct TestEventPatternRequest: Decodable {
    var EventPattern: String
    var Event: String
}

struct TestEventPatternResponse: Encodable {
    var Result: Bool
}
