import Testing
@testable import HTTPIngress

@Suite struct LambdaAuthorizerResponseTests {
    @Test func simpleResponses() throws {
        let allow = try #require(LambdaAuthorizers.parse(Array(#"{"isAuthorized":true,"context":{"user":"u1"}}"#.utf8), simple: true))
        guard case .simple(true, let context) = allow else { Issue.record("\(allow)"); return }
        #expect(context["user"]?.stringValue == "u1")
        #expect(LambdaAuthorizers.parse(Array(#"{"isAuthorized":"yes"}"#.utf8), simple: true) == nil)
    }

    @Test func policyResponsesCompile() throws {
        let text = #"""
            {"principalId":"p","policyDocument":{"Version":"2012-10-17","Statement":[
              {"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:000000000000:a1/*/GET/*"}]}}
            """#
        let parsed = try #require(LambdaAuthorizers.parse(Array(text.utf8), simple: false))
        guard case .policy(_, let principal, _) = parsed else { Issue.record("\(parsed)"); return }
        #expect(principal == "p")
        #expect(LambdaAuthorizers.parse(Array(#"{"principalId":"p"}"#.utf8), simple: false) == nil)
    }
}
