import AccessPolicies
import Testing

/// `${…}` placeholders in 2012-10-17 documents.
@Suite struct PolicyVariableTests {
    // AWS's example: each user gets their own "home directory" in a bucket.
    static let homeDirectories = #"""
    {"Version":"2012-10-17","Statement":[
      {"Action":["s3:ListBucket"],"Effect":"Allow","Resource":["arn:aws:s3:::mybucket"],
       "Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]}}},
      {"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":["arn:aws:s3:::mybucket/${aws:username}/*"]}]}
    """#

    @Test func usernameInResourceAndCondition() {
        let p = policy(Self.homeDirectories)
        #expect(allows(p, request("s3:GetObject", "arn:aws:s3:::mybucket/alice/notes.txt")))
        #expect(!allows(p, request("s3:GetObject", "arn:aws:s3:::mybucket/bob/notes.txt")))
        #expect(allows(p, request("s3:GetObject", "arn:aws:s3:::mybucket/bob/notes.txt", by: Principals.bob)))
        #expect(allows(p, request("s3:ListBucket", "arn:aws:s3:::mybucket", ["s3:prefix": ["alice/photos"]])))
        #expect(!allows(p, request("s3:ListBucket", "arn:aws:s3:::mybucket", ["s3:prefix": ["bob/photos"]])))
        // A role session has no aws:username: the element holding the variable matches nothing.
        #expect(!allows(p, request("s3:GetObject", "arn:aws:s3:::mybucket/alice/notes.txt", by: Principals.deployer)))
        #expect(!allows(p, request("s3:GetObject", "arn:aws:s3:::mybucket//notes.txt", by: Principals.deployer)))
    }

    @Test func withoutVersionVariablesAreLiteralText() {
        let legacy = policy(#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::mybucket/${aws:username}/*"}}"#)
        #expect(!allows(legacy, request("s3:GetObject", "arn:aws:s3:::mybucket/alice/notes.txt")))
        #expect(allows(legacy, request("s3:GetObject", "arn:aws:s3:::mybucket/${aws:username}/notes.txt")))
        let old = policy(#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::mybucket/${aws:username}/*"}}"#)
        #expect(!allows(old, request("s3:GetObject", "arn:aws:s3:::mybucket/alice/notes.txt")))
    }

    @Test func otherPrincipalAndContextVariables() {
        let byId = identity(action: #""s3:GetObject""#, resource: #""arn:aws:s3:::b/${aws:userid}/*""#)
        #expect(allows(byId, request("s3:GetObject", "arn:aws:s3:::b/AROADEPLOYEREXAMPLE01:ci-run-7/x", by: Principals.deployer)))
        let byAccount = identity(action: #""sqs:*""#, resource: #""arn:aws:sqs:us-east-2:${aws:PrincipalAccount}:${aws:username}-queue""#)
        #expect(allows(byAccount, request("sqs:SendMessage", "arn:aws:sqs:us-east-2:123456789012:alice-queue")))
        #expect(!allows(byAccount, request("sqs:SendMessage", "arn:aws:sqs:us-east-2:210987654321:alice-queue")))
        // A tag from the request's context; names are case-insensitive.
        let byTag = identity(action: #""s3:*""#, resource: #""arn:aws:s3:::bucket/${aws:PrincipalTag/department}""#)
        #expect(allows(byTag, request("s3:GetObject", "arn:aws:s3:::bucket/hr", ["AWS:principaltag/Department": ["hr"]])))
        #expect(!allows(byTag, request("s3:GetObject", "arn:aws:s3:::bucket/hr", ["aws:PrincipalTag/department": ["it"]])))
        // A multivalued key is no variable.
        #expect(!allows(byTag, request("s3:GetObject", "arn:aws:s3:::bucket/hr", ["aws:PrincipalTag/department": ["hr", "it"]])))
    }

    @Test func defaultValues() {
        let p = identity(action: #""s3:GetObject""#, resource: #""arn:aws:s3:::b/${aws:username, 'anonymous'}/*""#)
        #expect(allows(p, request("s3:GetObject", "arn:aws:s3:::b/anonymous/x", by: Principals.deployer)))
        #expect(allows(p, request("s3:GetObject", "arn:aws:s3:::b/alice/x")))
        #expect(!allows(p, request("s3:GetObject", "arn:aws:s3:::b/anonymous/x")))
    }

    @Test func specialCharacters() {
        let star = identity(action: #""s3:GetObject""#, resource: #""arn:aws:s3:::b/${*}""#)
        #expect(allows(star, request("s3:GetObject", "arn:aws:s3:::b/*")))
        #expect(!allows(star, request("s3:GetObject", "arn:aws:s3:::b/x")))
        let question = identity(action: #""s3:GetObject""#, resource: #""arn:aws:s3:::b/what${?}""#)
        #expect(allows(question, request("s3:GetObject", "arn:aws:s3:::b/what?")))
        #expect(!allows(question, request("s3:GetObject", "arn:aws:s3:::b/whatx")))
        let dollar = identity(action: #""s3:GetObject""#, resource: #""arn:aws:s3:::b/${$}{aws:username}""#)
        #expect(allows(dollar, request("s3:GetObject", "arn:aws:s3:::b/${aws:username}")))
        #expect(!allows(dollar, request("s3:GetObject", "arn:aws:s3:::b/alice")))
    }

    @Test func variablesInConditions() {
        // String and ARN operators read variables; the value substituted is taken literally.
        #expect(conditionHolds(#"{"StringEquals":{"my:owner":"${aws:username}"}}"#, ["my:owner": ["alice"]]))
        #expect(!conditionHolds(#"{"StringEquals":{"my:owner":"${aws:username}"}}"#, ["my:owner": ["bob"]]))
        #expect(conditionHolds(#"{"StringLike":{"sns:endpoint":"https://example.com/${aws:username}/*"}}"#, ["sns:endpoint": ["https://example.com/alice/hook"]]))
        #expect(conditionHolds(#"{"ArnLike":{"aws:SourceArn":"arn:aws:iam::*:user/engineering/${aws:username}"}}"#, ["aws:SourceArn": ["arn:aws:iam::123456789012:user/engineering/alice"]]))
        #expect(conditionHolds(#"{"StringEquals":{"my:owner":"${aws:PrincipalTag/team}"}}"#, ["my:owner": ["core"], "aws:PrincipalTag/team": ["core"]]))
        // An unresolvable variable makes that value match nothing (a negated operator then holds).
        #expect(!conditionHolds(#"{"StringEquals":{"my:owner":"${aws:username}"}}"#, ["my:owner": [""]], by: Principals.deployer))
        #expect(conditionHolds(#"{"StringNotEquals":{"my:owner":"${aws:username}"}}"#, ["my:owner": ["x"]], by: Principals.deployer))
        // Without Version, the text is literal.
        #expect(conditionHolds(#"{"StringEquals":{"my:owner":"${aws:username}"}}"#, ["my:owner": ["${aws:username}"]], version: nil))
        #expect(!conditionHolds(#"{"StringEquals":{"my:owner":"${aws:username}"}}"#, ["my:owner": ["alice"]], version: nil))
    }
}
