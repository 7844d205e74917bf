import AccessPolicies
import Testing

/// AWS's evaluation logic within one account: explicit deny wins, then an allow in the resource policy or in an
/// identity policy, else the implicit deny.
@Suite struct EvaluationLogicTests {
    let allowInvoke = identity()
    let denyInvoke = identity(effect: "Deny")

    @Test func nothingAllowsIsImplicitDeny() {
        #expect(PolicyEvaluator.evaluate(request("lambda:InvokeFunction"), identityPolicies: [], resourcePolicy: nil)
            == .implicitDeny)
        #expect(PolicyEvaluator.evaluate(request("lambda:DeleteFunction"), identityPolicies: [allowInvoke], resourcePolicy: nil)
            == .implicitDeny)
    }

    @Test func explicitDenyOverridesAllow() {
        let invoke = request("lambda:InvokeFunction")
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [allowInvoke], resourcePolicy: nil) == .allow)
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [allowInvoke, denyInvoke], resourcePolicy: nil)
            == .explicitDeny(.identityPolicy))
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [denyInvoke, allowInvoke], resourcePolicy: nil)
            == .explicitDeny(.identityPolicy))
        // Within one policy, too: order of statements does not matter.
        let both = policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*"},{"Effect":"Deny","Action":"lambda:InvokeFunction","Resource":"*"}]}"#)
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [both], resourcePolicy: nil) == .explicitDeny(.identityPolicy))
        #expect(PolicyEvaluator.evaluate(request("lambda:GetFunction"), identityPolicies: [both], resourcePolicy: nil) == .allow)
    }

    @Test func resourcePolicyAndIdentityPolicyCombine() {
        let invoke = request("lambda:InvokeFunction")
        let grantsAlice = policy(#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/engineering/alice"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:orders"}]}"#, .resource)
        let deniesEveryone = policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"lambda:*","Resource":"*"}]}"#, .resource)
        // Within one account, either kind of policy allowing suffices.
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [], resourcePolicy: grantsAlice) == .allow)
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [allowInvoke], resourcePolicy: nil) == .allow)
        #expect(PolicyEvaluator.evaluate(request("lambda:InvokeFunction", by: Principals.bob), identityPolicies: [],
                                         resourcePolicy: grantsAlice) == .implicitDeny)
        // A deny in either wins over an allow in the other.
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [allowInvoke], resourcePolicy: deniesEveryone)
            == .explicitDeny(.resourcePolicy))
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [denyInvoke], resourcePolicy: grantsAlice)
            == .explicitDeny(.identityPolicy))
    }

    @Test func actionWildcardsIgnoreCase() {
        let cases: [(pattern: String, action: String, matches: Bool)] = [
            ("lambda:Get*", "lambda:GetFunction", true),
            ("lambda:Get*", "lambda:getfunctionconfiguration", true),
            ("LAMBDA:invokefunction", "lambda:InvokeFunction", true),
            ("lambda:*Function*", "lambda:UpdateFunctionCode", true),
            ("lambda:*Function*", "lambda:ListTags", false),
            ("lambda:Get?unction", "lambda:GetFunction", true),
            ("lambda:Get?unction", "lambda:GetFFunction", false),
            ("s3:*", "s3control:GetJob", false),
            ("*", "anything:AtAll", true),
            ("iam:*AccessKey*", "iam:CreateAccessKey", true),
            ("iam:*AccessKey*", "iam:ListAccessKeys", true),
            ("iam:*AccessKey*", "iam:CreateUser", false),
        ]
        for c in cases {
            let p = identity(action: #""\#(c.pattern)""#)
            #expect(allows(p, request(c.action)) == c.matches, "\(c.pattern) vs \(c.action)")
        }
    }

    @Test func resourceWildcardsAreCaseSensitiveAndSpanSeparators() {
        let cases: [(pattern: String, resource: String, matches: Bool)] = [
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false),
            ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", false),
            ("arn:aws:lambda:*:123456789012:function:*", "arn:aws:lambda:eu-west-1:123456789012:function:orders:prod", true),
            ("arn:aws:lambda:*:*", "arn:aws:lambda:us-east-1:123456789012:function:orders", true),
            (ordersFunction, ordersFunction, true),
            (ordersFunction, ordersFunction + ":1", false),
            (ordersFunction + "*", ordersFunction + ":1", true),
            ("arn:aws:lambda:us-east-1:123456789012:function:order?", ordersFunction, true),
            ("arn:aws:lambda:us-east-1:123456789012:function:*s", ordersFunction, true),
            ("arn:aws:lambda:us-east-1:123456789012:function:*x", ordersFunction, false),
            ("arn:aws:s3:::b/?/x", "arn:aws:s3:::b/é/x", true),
            ("arn:aws:s3:::b/*é", "arn:aws:s3:::b/caféé", true),
            // A request for no particular resource is covered only by "*".
            ("arn:aws:lambda:*", "*", false),
            ("*", "*", true),
        ]
        for c in cases {
            let p = identity(action: #""lambda:ListFunctions""#, resource: #""\#(c.pattern)""#)
            #expect(allows(p, request("lambda:ListFunctions", c.resource)) == c.matches, "\(c.pattern) vs \(c.resource)")
        }
    }

    @Test func notActionCoversEveryOtherAction() {
        // AWS's example: allow everything except IAM.
        let p = policy(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#)
        #expect(allows(p, request("lambda:InvokeFunction")))
        #expect(allows(p, request("s3:GetObject", "arn:aws:s3:::b/k")))
        #expect(!allows(p, request("iam:CreateUser", "arn:aws:iam::123456789012:user/x")))
        // AWS's example: deny everything but IAM self-service without MFA.
        let mfa = policy(#"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"*","Resource":"*"},
          {"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny",
           "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices"],
           "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}
        """#)
        let lambda = request("lambda:InvokeFunction")
        #expect(PolicyEvaluator.evaluate(lambda, identityPolicies: [mfa], resourcePolicy: nil) == .explicitDeny(.identityPolicy))
        #expect(allows(mfa, request("lambda:InvokeFunction", ordersFunction, ["aws:MultiFactorAuthPresent": ["true"]])))
        #expect(allows(mfa, request("iam:GetUser", "arn:aws:iam::123456789012:user/engineering/alice")))
    }

    @Test func notResourceCoversEveryOtherResource() {
        // AWS's example: deny everything outside the HR bucket's payroll folder.
        let p = policy(#"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"s3:*","Resource":"*"},
          {"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}]}
        """#)
        #expect(allows(p, request("s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/june.csv")))
        #expect(!allows(p, request("s3:GetObject", "arn:aws:s3:::HRBucket/Other/x")))
        #expect(!allows(p, request("s3:GetObject", "arn:aws:s3:::hrbucket/Payroll/june.csv")))
    }

    @Test func rootIsNotSpecialHere() {
        #expect(PolicyEvaluator.evaluate(request("lambda:InvokeFunction", by: Principals.root), identityPolicies: [],
                                         resourcePolicy: nil) == .implicitDeny)
    }

    @Test func manyPoliciesWithIndexedServices() {
        // Statements are indexed by service; "*" and NotAction must still be found.
        let s3Only = identity(action: #"["s3:GetObject","s3:PutObject"]"#)
        let wildVendor = identity(action: #"["s3:GetObject","*"]"#)
        let notIAM = policy(#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["iam:*","s3:*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}}"#)
        let invoke = request("lambda:InvokeFunction")
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [s3Only], resourcePolicy: nil) == .implicitDeny)
        #expect(PolicyEvaluator.evaluate(invoke, identityPolicies: [s3Only, wildVendor], resourcePolicy: nil) == .allow)
        let inEurope = request("lambda:InvokeFunction", ordersFunction, ["aws:RequestedRegion": ["eu-west-1"]])
        #expect(PolicyEvaluator.evaluate(inEurope, identityPolicies: [wildVendor, notIAM], resourcePolicy: nil)
            == .explicitDeny(.identityPolicy))
        // An action without a vendor matches only "*".
        #expect(allows(wildVendor, request("Invoke")))
        #expect(!allows(s3Only, request("Invoke")))
    }
}
