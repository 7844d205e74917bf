import AccessPolicies
import Testing

/// `…IfExists`, `ForAnyValue:`, `ForAllValues:` and how absent keys and negated operators behave.
@Suite struct ConditionSetOperatorTests {
    @Test func ifExistsTreatsAnAbsentKeyAsSatisfied() {
        let condition = #"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#
        #expect(conditionHolds(condition, [:]))
        #expect(conditionHolds(condition, ["ec2:InstanceType": ["t2.large"]]))
        #expect(!conditionHolds(condition, ["ec2:InstanceType": ["c5.large"]]))
        #expect(conditionHolds(#"{"NumericLessThanIfExists":{"s3:max-keys":"10"}}"#, [:]))
        #expect(conditionHolds(#"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#, [:]))
        #expect(!conditionHolds(#"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#, ["aws:SourceIp": ["192.0.2.1"]]))
    }

    @Test func negatedIfExistsDenyStillDeniesWhenTheKeyIsMissing() {
        // "…the request is still denied even if the tag is missing."
        let p = policy(#"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"ec2:*","Resource":"*"},
          {"Effect":"Deny","Action":"ec2:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:RequestTag/env":"dev"}}}]}
        """#)
        #expect(!allows(p, request("ec2:RunInstances", "*")))
        #expect(!allows(p, request("ec2:RunInstances", "*", ["aws:RequestTag/env": ["prod"]])))
        #expect(allows(p, request("ec2:RunInstances", "*", ["aws:RequestTag/env": ["dev"]])))
    }

    @Test func forAllValues() {
        // AWS's DynamoDB example: only PostDateTime, Message and Tags may be requested.
        let condition = #"{"ForAllValues:StringLike":{"dynamodb:requestedAttributes":["PostDateTime","Message","Tags"]}}"#
        #expect(conditionHolds(condition, ["dynamodb:requestedAttributes": ["PostDateTime", "Message"]]))
        #expect(!conditionHolds(condition, ["dynamodb:requestedAttributes": ["PostDateTime", "UserName"]]))
        // No values at all: true.
        #expect(conditionHolds(condition, [:]))
        #expect(conditionHolds(condition, ["dynamodb:requestedAttributes": []]))
        // Negated: none of the request's values may match.
        let none = #"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["owner","cost-center"]}}"#
        #expect(conditionHolds(none, ["aws:TagKeys": ["env", "team"]]))
        #expect(!conditionHolds(none, ["aws:TagKeys": ["env", "owner"]]))
    }

    @Test func forAnyValue() {
        // AWS's DynamoDB example: deny if ID or PostDateTime is among the attributes.
        let p = policy(#"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*"},
          {"Effect":"Deny","Action":"dynamodb:PutItem","Resource":"*",
           "Condition":{"ForAnyValue:StringLike":{"dynamodb:requestedAttributes":["ID","PostDateTime"]}}}]}
        """#)
        let put = { (attributes: [String]) in
            allows(p, request("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Thread",
                              ["dynamodb:requestedAttributes": attributes]))
        }
        #expect(!put(["UserName", "Message", "PostDateTime"]))
        #expect(put(["UserName"]))
        // A missing key: ForAnyValue is false, so the Deny does not apply.
        #expect(allows(p, request("dynamodb:PutItem", "*")))
        // Negated: some request value matches none of the policy's.
        let other = #"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env","team"]}}"#
        #expect(conditionHolds(other, ["aws:TagKeys": ["env", "owner"]]))
        #expect(!conditionHolds(other, ["aws:TagKeys": ["env", "team"]]))
        #expect(!conditionHolds(other, [:]))
    }

    @Test func multivaluedKeysWithoutAQualifier() {
        // A plain operator holds when some value matches; its negation when none does.
        #expect(conditionHolds(#"{"StringEquals":{"aws:TagKeys":"env"}}"#, ["aws:TagKeys": ["team", "env"]]))
        #expect(!conditionHolds(#"{"StringNotEquals":{"aws:TagKeys":"env"}}"#, ["aws:TagKeys": ["team", "env"]]))
        #expect(conditionHolds(#"{"StringNotEquals":{"aws:TagKeys":"env"}}"#, ["aws:TagKeys": ["team", "owner"]]))
        #expect(conditionHolds(#"{"IpAddress":{"my:hops":"10.0.0.0/8"}}"#, ["my:hops": ["192.0.2.1", "10.9.9.9"]]))
        #expect(!conditionHolds(#"{"NotIpAddress":{"my:hops":"10.0.0.0/8"}}"#, ["my:hops": ["192.0.2.1", "10.9.9.9"]]))
    }

    @Test func ifExistsWithSetQualifiers() {
        #expect(conditionHolds(#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"env"}}"#, [:]))
        #expect(!conditionHolds(#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"env"}}"#, ["aws:TagKeys": ["team"]]))
    }
}
