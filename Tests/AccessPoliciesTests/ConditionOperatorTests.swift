import AccessPolicies
import Testing

/// Each condition operator family against request values, as the condition operators reference describes them.
@Suite struct ConditionOperatorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var condition: String
        var context: [String: [String]]
        var holds: Bool
        var testDescription: String { "\(condition) with \(context)" }

        init(_ condition: String, _ context: [String: [String]], _ holds: Bool) {
            self.condition = condition
            self.context = context
            self.holds = holds
        }
    }

    static let strings: [Case] = [
        Case(#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#, ["aws:PrincipalTag/job-category": ["iamuser-admin"]], true),
        Case(#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#, ["aws:PrincipalTag/job-category": ["IAMuser-admin"]], false),
        Case(#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#, [:], false),
        // Key names are case-insensitive.
        Case(#"{"StringEquals":{"AWS:principaltag/JOB-CATEGORY":"iamuser-admin"}}"#, ["aws:PrincipalTag/job-category": ["iamuser-admin"]], true),
        // StringEquals takes * literally.
        Case(#"{"StringEquals":{"s3:prefix":"home/*"}}"#, ["s3:prefix": ["home/alice"]], false),
        Case(#"{"StringEquals":{"s3:prefix":"home/*"}}"#, ["s3:prefix": ["home/*"]], true),
        Case(#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#, ["aws:PrincipalTag/role": ["audit"]], false),
        Case(#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#, ["aws:PrincipalTag/role": ["dev"]], true),
        Case(#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#, [:], true),
        Case(#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Payments"}}"#, ["aws:PrincipalTag/team": ["PAYMENTS"]], true),
        Case(#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"Payments"}}"#, ["aws:PrincipalTag/team": ["payments"]], false),
        Case(#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"Payments"}}"#, ["aws:PrincipalTag/team": ["ledger"]], true),
        Case(#"{"StringLike":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#, ["ec2:InstanceType": ["t2.micro"]], true),
        Case(#"{"StringLike":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#, ["ec2:InstanceType": ["c5.large"]], false),
        Case(#"{"StringLike":{"ec2:InstanceType":"t?.micro"}}"#, ["ec2:InstanceType": ["t3.micro"]], true),
        Case(#"{"StringLike":{"s3:prefix":["","home/"]}}"#, ["s3:prefix": [""]], true),
        Case(#"{"StringNotLike":{"s3:prefix":"secret/*"}}"#, ["s3:prefix": ["public/x"]], true),
        Case(#"{"StringNotLike":{"s3:prefix":"secret/*"}}"#, ["s3:prefix": ["secret/x"]], false),
        Case(#"{"StringNotLike":{"s3:prefix":"secret/*"}}"#, [:], true),
    ]

    static let numbers: [Case] = [
        Case(#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#, ["s3:max-keys": ["10"]], true),
        Case(#"{"NumericLessThanEquals":{"s3:max-keys":10}}"#, ["s3:max-keys": ["11"]], false),
        Case(#"{"NumericLessThan":{"s3:max-keys":10}}"#, ["s3:max-keys": ["9.5"]], true),
        Case(#"{"NumericEquals":{"s3:max-keys":"10"}}"#, ["s3:max-keys": ["10.0"]], true),
        Case(#"{"NumericNotEquals":{"s3:max-keys":["10","20"]}}"#, ["s3:max-keys": ["20"]], false),
        Case(#"{"NumericNotEquals":{"s3:max-keys":["10","20"]}}"#, ["s3:max-keys": ["15"]], true),
        Case(#"{"NumericGreaterThan":{"s3:max-keys":1e2}}"#, ["s3:max-keys": ["101"]], true),
        Case(#"{"NumericGreaterThanEquals":{"s3:max-keys":"-5"}}"#, ["s3:max-keys": ["-5"]], true),
        Case(#"{"NumericGreaterThanEquals":{"s3:max-keys":"1"}}"#, ["s3:max-keys": ["lots"]], false),
        Case(#"{"NumericGreaterThanEquals":{"s3:max-keys":"1"}}"#, [:], false),
    ]

    static let dates: [Case] = [
        Case(#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#, ["aws:TokenIssueTime": ["2020-06-30T12:00:00Z"]], true),
        Case(#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#, ["aws:TokenIssueTime": ["2019-12-31T23:59:59Z"]], false),
        Case(#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}"#, [:], false),
        // Epoch seconds and ISO 8601 compare as instants; offsets are honoured.
        Case(#"{"DateEquals":{"aws:TokenIssueTime":"1577836800"}}"#, ["aws:TokenIssueTime": ["2020-01-01T00:00:00Z"]], true),
        Case(#"{"DateEquals":{"aws:TokenIssueTime":1577836800}}"#, ["aws:TokenIssueTime": ["2020-01-01T02:00:00+02:00"]], true),
        Case(#"{"DateEquals":{"aws:TokenIssueTime":"2020-01-01"}}"#, ["aws:TokenIssueTime": ["2020-01-01T00:00:00.000Z"]], true),
        Case(#"{"DateNotEquals":{"aws:TokenIssueTime":"2020-01-01"}}"#, ["aws:TokenIssueTime": ["2020-01-02"]], true),
        Case(#"{"DateLessThanEquals":{"aws:TokenIssueTime":"2020-06"}}"#, ["aws:TokenIssueTime": ["2020-06-01T00:00:00Z"]], true),
        Case(#"{"DateLessThan":{"aws:TokenIssueTime":"2020-06-01T10:00Z"}}"#, ["aws:TokenIssueTime": ["2020-06-01T09:59:59.5Z"]], true),
        Case(#"{"DateGreaterThanEquals":{"aws:TokenIssueTime":"2020"}}"#, ["aws:TokenIssueTime": ["not a date"]], false),
        // aws:CurrentTime and aws:EpochTime come from the clock unless the request gives them.
        Case(#"{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#, [:], true),
        Case(#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#, [:], false),
        Case(#"{"DateGreaterThan":{"aws:EpochTime":"1577836800"}}"#, [:], true),
        Case(#"{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#, ["aws:CurrentTime": ["2019-05-05T00:00:00Z"]], true),
        Case(#"{"StringLike":{"aws:CurrentTime":"20*-*-*T*:*:*Z"}}"#, [:], true),
    ]

    static let booleansAndBinary: [Case] = [
        Case(#"{"Bool":{"aws:SecureTransport":"false"}}"#, ["aws:SecureTransport": ["false"]], true),
        Case(#"{"Bool":{"aws:SecureTransport":"false"}}"#, ["aws:SecureTransport": ["true"]], false),
        Case(#"{"Bool":{"aws:SecureTransport":true}}"#, ["aws:SecureTransport": ["True"]], true),
        Case(#"{"Bool":{"aws:SecureTransport":"true"}}"#, [:], false),
        Case(#"{"BinaryEquals":{"my:blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, ["my:blob": ["QmluYXJ5VmFsdWVJbkJhc2U2NA=="]], true),
        Case(#"{"BinaryEquals":{"my:blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, ["my:blob": ["QmluYXJ5VmFsdWVJbkJhc2U2NA"]], true),
        Case(#"{"BinaryEquals":{"my:blob":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, ["my:blob": ["QmluYXJ5"]], false),
    ]

    static let addresses: [Case] = [
        Case(#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, ["aws:SourceIp": ["203.0.113.77"]], true),
        Case(#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, ["aws:SourceIp": ["203.0.114.1"]], false),
        Case(#"{"IpAddress":{"aws:SourceIp":"203.0.113.9"}}"#, ["aws:SourceIp": ["203.0.113.9"]], true),
        Case(#"{"IpAddress":{"aws:SourceIp":"203.0.113.9"}}"#, ["aws:SourceIp": ["203.0.113.10"]], false),
        Case(#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#, ["aws:SourceIp": ["2001:db8:1234:5678:a:b:c:d"]], true),
        Case(#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#, ["aws:SourceIp": ["2001:db8:1234:5679::1"]], false),
        Case(#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#, ["aws:SourceIp": ["198.51.100.1"]], true),
        Case(#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#, ["aws:SourceIp": ["::1"]], false),
        Case(#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#, ["aws:SourceIp": ["::ffff:10.1.2.3"]], true),
        Case(#"{"IpAddress":{"aws:SourceIp":"::/0"}}"#, ["aws:SourceIp": ["fe80::1"]], true),
        Case(#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, ["aws:SourceIp": ["not-an-ip"]], false),
        Case(#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, [:], false),
        Case(#"{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}"#, ["aws:SourceIp": ["203.0.113.5"]], false),
        Case(#"{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}"#, ["aws:SourceIp": ["198.51.100.5"]], true),
        Case(#"{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#, [:], true),
    ]

    static let arns: [Case] = [
        // AWS's example: StringLike's * crosses colons, ArnLike's stays within its component.
        Case(#"{"StringLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
             ["aws:SourceArn": ["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"]], true),
        Case(#"{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
             ["aws:SourceArn": ["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"]], false),
        Case(#"{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
             ["aws:SourceArn": ["arn:aws:someservice:us-east-2:111122223333:finance/a:b"]], true),
        Case(#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"}}"#,
             ["aws:SourceArn": ["arn:aws:sns:us-east-1:123456789012:topic"]], true),
        Case(#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:123456789012:top?c"}}"#,
             ["aws:SourceArn": ["arn:aws:sns:eu-west-1:123456789012:topic"]], true),
        Case(#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"}}"#,
             ["aws:SourceArn": ["arn:aws:sns:us-east-1:123456789012:Topic"]], false),
        Case(#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"}}"#,
             ["aws:SourceArn": ["not-an-arn"]], false),
        Case(#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/bob"}}"#, [:], true),
        Case(#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/engineering/*"}}"#, [:], false),
    ]

    static let nulls: [Case] = [
        Case(#"{"Null":{"aws:TokenIssueTime":"true"}}"#, [:], true),
        Case(#"{"Null":{"aws:TokenIssueTime":"true"}}"#, ["aws:TokenIssueTime": ["2020-01-01T00:00:00Z"]], false),
        Case(#"{"Null":{"aws:TokenIssueTime":false}}"#, ["aws:TokenIssueTime": ["2020-01-01T00:00:00Z"]], true),
        Case(#"{"Null":{"aws:TokenIssueTime":"false"}}"#, [:], false),
        Case(#"{"Null":{"aws:TokenIssueTime":"false"}}"#, ["aws:TokenIssueTime": []], false),
        Case(#"{"Null":{"aws:username":"false"}}"#, [:], true),
    ]

    @Test(arguments: strings) func string(_ c: Case) { #expect(conditionHolds(c.condition, c.context) == c.holds) }
    @Test(arguments: numbers) func numeric(_ c: Case) { #expect(conditionHolds(c.condition, c.context) == c.holds) }
    @Test(arguments: dates) func date(_ c: Case) { #expect(conditionHolds(c.condition, c.context) == c.holds) }
    @Test(arguments: booleansAndBinary) func boolAndBinary(_ c: Case) { #expect(conditionHolds(c.condition, c.context) == c.holds) }
    @Test(arguments: addresses) func ipAddress(_ c: Case) { #expect(conditionHolds(c.condition, c.context) == c.holds) }
    @Test(arguments: arns) func arn(_ c: Case) { #expect(conditionHolds(c.condition, c.context) == c.holds) }
    @Test(arguments: nulls) func null(_ c: Case) { #expect(conditionHolds(c.condition, c.context) == c.holds) }

    @Test func keysAndOperatorsAreANDedValuesORed() {
        let condition = #"{"StringEquals":{"aws:RequestTag/env":["dev","test"],"aws:RequestTag/team":"payments"},"Bool":{"aws:SecureTransport":"true"}}"#
        let full: [String: [String]] = ["aws:RequestTag/env": ["test"], "aws:RequestTag/team": ["payments"], "aws:SecureTransport": ["true"]]
        #expect(conditionHolds(condition, full))
        var wrongEnv = full
        wrongEnv["aws:RequestTag/env"] = ["prod"]
        #expect(!conditionHolds(condition, wrongEnv))
        var noTeam = full
        noTeam["aws:RequestTag/team"] = nil
        #expect(!conditionHolds(condition, noTeam))
        var plain = full
        plain["aws:SecureTransport"] = ["false"]
        #expect(!conditionHolds(condition, plain))
    }

    @Test func principalKeysComeFromThePrincipal() {
        #expect(conditionHolds(#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/ops/Deployer"}}"#, [:], by: Principals.deployer))
        #expect(conditionHolds(#"{"StringEquals":{"aws:PrincipalAccount":"123456789012","aws:PrincipalType":"AssumedRole","aws:userid":"AROADEPLOYEREXAMPLE01:*"}}"#, [:], by: Principals.deployer) == false)
        #expect(conditionHolds(#"{"StringLike":{"aws:userid":"AROADEPLOYEREXAMPLE01:*"},"StringEquals":{"aws:PrincipalType":"AssumedRole"}}"#, [:], by: Principals.deployer))
        #expect(conditionHolds(#"{"StringEquals":{"aws:username":"alice","aws:PrincipalType":"User","aws:PrincipalAccount":"123456789012"}}"#, [:]))
        #expect(conditionHolds(#"{"StringEquals":{"aws:PrincipalType":"Account","aws:userid":"123456789012"}}"#, [:], by: Principals.root))
        #expect(conditionHolds(#"{"Null":{"aws:username":"true"}}"#, [:], by: Principals.deployer))
        #expect(conditionHolds(#"{"StringEquals":{"aws:PrincipalServiceName":"lambda.amazonaws.com"},"Bool":{"aws:PrincipalIsAWSService":"true"}}"#, [:], by: Principals.lambda))
        #expect(conditionHolds(#"{"Bool":{"aws:PrincipalIsAWSService":"false"}}"#, [:]))
        // The principal's own keys cannot be supplied by the request.
        #expect(!conditionHolds(#"{"StringEquals":{"aws:username":"root"}}"#, ["aws:username": ["root"]]))
    }
}
