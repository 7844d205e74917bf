import AccessPolicies
import JSONText

/// Topic policies as SNS writes them: the default policy of a new topic, and the statements AddPermission adds.
enum TopicPolicyDocument {
    static let defaultActions = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                                 "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"]

    /// The policy AWS gives a topic created without one: the owner's account may do everything.
    static func defaultPolicy(topicArn: String, accountId: String) -> String {
        let statement = JSONWriter.object([
            ("Sid", JSONWriter.quote("__default_statement_ID")),
            ("Effect", JSONWriter.quote("Allow")),
            ("Principal", JSONWriter.object([("AWS", JSONWriter.quote("*"))])),
            ("Action", "[" + defaultActions.map(JSONWriter.quote).joined(separator: ",") + "]"),
            ("Resource", JSONWriter.quote(topicArn)),
            ("Condition", JSONWriter.object([("StringEquals", JSONWriter.object([("AWS:SourceOwner", JSONWriter.quote(accountId))]))])),
        ])
        return JSONWriter.object([
            ("Version", JSONWriter.quote("2008-10-17")),
            ("Id", JSONWriter.quote("__default_policy_ID")),
            ("Statement", "[" + statement + "]"),
        ])
    }

    /// `policy` with a statement labelled `label` allowing `accounts` the SNS `actions` on the topic.
    static func adding(label: String, accounts: [String], actions: [String], topicArn: String, to policy: String) throws(TopicError) -> String {
        guard case .object(var fields)? = JSONText.object(policy) else { throw .invalidParameter("Policy") }
        var statements: [JSONText] = []
        if case .array(let existing)? = fields.last(where: { $0.key == "Statement" })?.value { statements = existing }
        else if let single = fields.last(where: { $0.key == "Statement" })?.value { statements = [single] }
        if statements.contains(where: { $0["Sid"]?.stringValue == label }) {
            throw .invalid("Invalid parameter: Statement already exists")
        }
        let principals = accounts.map { JSONText.string($0.allSatisfy(\.isNumber) ? "arn:aws:iam::\($0):root" : $0) }
        let actionValues = actions.map { JSONText.string($0 == "*" ? "SNS:*" : "SNS:" + $0) }
        let statement: JSONText = .object([
            ("Sid", .string(label)),
            ("Effect", .string("Allow")),
            ("Principal", .object([("AWS", principals.count == 1 ? principals[0] : .array(principals))])),
            ("Action", actionValues.count == 1 ? actionValues[0] : .array(actionValues)),
            ("Resource", .string(topicArn)),
        ])
        statements.append(statement)
        fields.removeAll { $0.key == "Statement" }
        fields.append((key: "Statement", value: .array(statements)))
        return JSONWriter.render(.object(fields))
    }

    /// `policy` without the statement labelled `label`.
    static func removing(label: String, from policy: String) throws(TopicError) -> String {
        guard case .object(var fields)? = JSONText.object(policy),
              case .array(var statements)? = fields.last(where: { $0.key == "Statement" })?.value,
              let index = statements.firstIndex(where: { $0["Sid"]?.stringValue == label }) else {
            throw .invalid("Invalid parameter: Label Reason: can't find label \(label)")
        }
        statements.remove(at: index)
        fields.removeAll { $0.key == "Statement" }
        fields.append((key: "Statement", value: .array(statements)))
        return JSONWriter.render(.object(fields))
    }

    /// Checks a policy as a resource policy; the error names `Policy` as SNS does.
    static func validate(_ policy: String) throws(TopicError) {
        do {
            _ = try Policy(json: policy, kind: .resource)
        } catch {
            throw .invalid("Invalid parameter: Policy Error: \(error.reason)")
        }
    }
}
