import AccessPolicies
import Testing

/// Documents IAM refuses, and the `MalformedPolicyDocument` message it refuses them with.
@Suite struct MalformedPolicyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var json: String
        var kind: PolicyKind = .identity
        var reason: String
        var testDescription: String { name }
    }

    static let allowAll = #"{"Effect":"Allow","Action":"*","Resource":"*"}"#

    static let cases: [Case] = [
        Case(name: "not JSON", json: #"{"Version":"2012-10-17","Statement":["#, reason: "Syntax errors in policy."),
        Case(name: "trust policy not JSON", json: "{invalid", kind: .trust, reason: "This policy contains invalid Json"),
        Case(name: "top level is an array", json: "[\(allowAll)]", reason: "Syntax errors in policy."),
        Case(name: "unknown top-level field",
             json: #"{"Version":"2012-10-17","Statement":[\#(allowAll)],"Condition":{}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "duplicate top-level field",
             json: #"{"Version":"2012-10-17","Statement":[\#(allowAll)],"Statement":[\#(allowAll)]}"#,
             reason: "Syntax errors in policy."),
        Case(name: "no Statement", json: #"{"Version":"2012-10-17"}"#, reason: "Syntax errors in policy."),
        Case(name: "empty Statement", json: #"{"Version":"2012-10-17","Statement":[]}"#, reason: "Syntax errors in policy."),
        Case(name: "empty trust Statement", json: #"{"Version":"2012-10-17","Statement":[]}"#, kind: .trust,
             reason: "Could not parse the policy: Statement is empty!"),
        Case(name: "Statement is a string", json: #"{"Version":"2012-10-17","Statement":"x"}"#,
             reason: "Syntax errors in policy."),
        Case(name: "unknown statement field",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Actions":"*"}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "duplicate statement field",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "Action and NotAction",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "Resource and NotResource",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "no Effect",
             json: #"{"Version":"2012-10-17","Statement":{"Action":"*","Resource":"*"}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "unknown Effect",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"*","Resource":"*"}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "Effect in the wrong case",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"*","Resource":"*"}}"#,
             reason: "The policy failed legacy parsing"),
        Case(name: "Action of the wrong type",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":{"a":1},"Resource":"*"}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "Resource list with a number",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":["*",3]}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "unknown Version",
             json: #"{"Version":"2012-10-18","Statement":[\#(allowAll)]}"#, reason: "The policy failed legacy parsing"),
        Case(name: "Version not a string",
             json: #"{"Version":2012,"Statement":[\#(allowAll)]}"#, reason: "Syntax errors in policy."),
        Case(name: "Principal in an identity policy",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}"#,
             reason: "Policy document should not specify a principal."),
        Case(name: "NotPrincipal in an identity policy",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"*","Resource":"*"}}"#,
             reason: "Policy document should not specify a principal."),
        Case(name: "no Principal in a resource policy",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}}"#,
             kind: .resource, reason: "Missing required field Principal"),
        Case(name: "no Principal in a trust policy",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#,
             kind: .trust, reason: "Missing required field Principal"),
        Case(name: "empty Principal object",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}]}"#,
             kind: .trust, reason: "Missing required field Principal cannot be empty!"),
        Case(name: "unknown principal type",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Group":"x"},"Action":"sts:AssumeRole"}]}"#,
             kind: .trust, reason: "Syntax errors in policy."),
        Case(name: "partial wildcard in a principal ARN",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/*"},"Action":"sts:AssumeRole"}]}"#,
             kind: .trust, reason: #"Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/*""#),
        Case(name: "short account id as principal",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"12345"},"Action":"sts:AssumeRole"}]}"#,
             kind: .trust, reason: #"Invalid principal in policy: "AWS":"12345""#),
        Case(name: "Resource in a trust policy",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}]}"#,
             kind: .trust, reason: "Has prohibited field Resource"),
        Case(name: "NotResource in a trust policy",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","NotResource":"*"}]}"#,
             kind: .trust, reason: "AssumeRole policy must not contain resources."),
        Case(name: "non-STS action in a trust policy",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}]}"#,
             kind: .trust, reason: "AssumeRole policy may only specify STS AssumeRole actions."),
        Case(name: "Allow with NotPrincipal in a trust policy",
             json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#,
             kind: .trust, reason: "Allow with NotPrincipal is not allowed."),
        Case(name: "no Action",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}"#,
             reason: "Policy statement must contain actions."),
        Case(name: "empty Action list",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}"#,
             reason: "Policy statement must contain actions."),
        Case(name: "no Resource",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject"}}"#,
             reason: "Policy statement must contain resources."),
        Case(name: "no Resource in a resource policy",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}"#,
             kind: .resource, reason: "Policy statement must contain resources."),
        Case(name: "action without a vendor",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}"#,
             reason: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        Case(name: "action with two colons",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}}"#,
             reason: "Actions/Condition can contain only one colon."),
        Case(name: "wildcard in the vendor",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3*:Get*","Resource":"*"}}"#,
             reason: "Vendor s3* is not valid"),
        Case(name: "vendor with a space",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s 3:GetObject","Resource":"*"}}"#,
             reason: "Vendor s 3 is not valid"),
        Case(name: "condition key without a vendor",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"SourceIp":"x"}}}}"#,
             reason: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        Case(name: "resource that is not an ARN",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"my-bucket"}}"#,
             reason: #"Resource my-bucket must be in ARN format or "*"."#),
        Case(name: "resource with a wildcard vendor",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s*:::b"}}"#,
             reason: "Resource vendor must be fully qualified and cannot contain regexes."),
        Case(name: "duplicate Sid",
             json: #"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}]}"#,
             reason: "Statement IDs (SID) in a single policy must be unique."),
        Case(name: "Sid with a dash in an identity policy",
             json: #"{"Version":"2012-10-17","Statement":[{"Sid":"allow-all","Effect":"Allow","Action":"*","Resource":"*"}]}"#,
             reason: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"),
        Case(name: "unknown condition operator",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"x"}}}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "NullIfExists",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "condition block not an object",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"x"}}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "condition value null",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":null}}}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "unreadable date",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"next tuesday"}}}}"#,
             reason: "The policy failed legacy parsing"),
        Case(name: "unreadable number",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}}"#,
             reason: "Syntax errors in policy."),
        Case(name: "unreadable CIDR",
             json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/33"}}}}"#,
             reason: "Syntax errors in policy."),
    ]

    @Test(arguments: cases)
    func refused(_ c: Case) {
        #expect(refusal(c.json, c.kind) == c.reason)
    }

    @Test func acceptedShapes() {
        // Statement as an object; Version absent or 2008-10-17; Sid with punctuation in a resource policy.
        #expect(refusal(#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#) == nil)
        #expect(refusal(#"{"Version":"2008-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b/*"}]}"#) == nil)
        #expect(refusal(#"{"Version":"2012-10-17","Id":"fn-policy","Statement":[{"Sid":"lambda-invoke_1","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}]}"#, .resource) == nil)
        #expect(refusal(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#, .trust) == nil)
        // A byte order mark and numbers and booleans as condition values.
        #expect(refusal("\u{FEFF}" + #"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}}}"#) == nil)
        // Condition keys may hold colons after the vendor (tag keys such as aws:cloudformation:stack-name).
        #expect(refusal(#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/aws:cloudformation:stack-name":"x"}}}}"#) == nil)
    }

    @Test func compiledShape() throws {
        let p = try Policy(json: #"{"Version":"2012-10-17","Id":"doc","Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#, kind: .identity)
        #expect(p.statementCount == 2)
        #expect(p.statementIds == ["A", nil])
        #expect(p.id == "doc")
        let r = try Policy(json: #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:role/R"]},"Action":"sqs:SendMessage","Resource":"*"}]}"#, kind: .resource)
        #expect(r.namedAWSPrincipals == ["123456789012", "arn:aws:iam::123456789012:role/R"])
    }
}
