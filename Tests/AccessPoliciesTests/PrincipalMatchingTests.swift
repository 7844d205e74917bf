import AccessPolicies
import Testing

/// Which callers a resource or trust policy's `Principal` / `NotPrincipal` names.
@Suite struct PrincipalMatchingTests {
    func resourcePolicy(_ principal: String, effect: String = "Allow", element: String = "Principal") -> Policy {
        policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"\#(effect)","\#(element)":\#(principal),"Action":"lambda:InvokeFunction","Resource":"*"}]}"#, .resource)
    }

    func trustPolicy(_ principal: String) -> Policy {
        policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":\#(principal),"Action":"sts:AssumeRole"}]}"#, .trust)
    }

    /// Whether a resource policy alone lets `caller` invoke.
    func granted(_ p: Policy, to caller: RequestPrincipal) -> Bool {
        PolicyEvaluator.evaluate(request("lambda:InvokeFunction", by: caller), identityPolicies: [], resourcePolicy: p) == .allow
    }

    func trusted(_ p: Policy, _ caller: RequestPrincipal) -> Bool {
        PolicyEvaluator.trusts(p, request: request("sts:AssumeRole", "arn:aws:iam::123456789012:role/R", by: caller))
    }

    @Test func everyone() {
        for principal in [#""*""#, #"{"AWS":"*"}"#] {
            let p = resourcePolicy(principal)
            for caller in [Principals.alice, Principals.root, Principals.deployer, Principals.lambda, Principals.stranger] {
                #expect(granted(p, to: caller), "\(principal) for \(caller.arn)")
            }
        }
    }

    @Test func usersRolesAndSessions() {
        let alice = resourcePolicy(#"{"AWS":"arn:aws:iam::123456789012:user/engineering/alice"}"#)
        #expect(granted(alice, to: Principals.alice))
        #expect(!granted(alice, to: Principals.bob))
        #expect(!granted(alice, to: Principals.root))

        // A role ARN names every session of the role; a session ARN names that session only.
        let role = resourcePolicy(#"{"AWS":["arn:aws:iam::123456789012:role/ops/Deployer"]}"#)
        #expect(granted(role, to: Principals.deployer))
        #expect(!granted(role, to: Principals.alice))
        let session = resourcePolicy(#"{"AWS":"arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-7"}"#)
        #expect(granted(session, to: Principals.deployer))
        var otherSession = Principals.deployer
        otherSession.arn = "arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-8"
        otherSession.userId = "AROADEPLOYEREXAMPLE01:ci-run-8"
        #expect(!granted(session, to: otherSession))
        #expect(granted(role, to: otherSession))

        // Unique ids, which IAM shows for principals it stored by id.
        #expect(granted(resourcePolicy(#"{"AWS":"AIDABOBEXAMPLE0000001"}"#), to: Principals.bob))
        #expect(granted(resourcePolicy(#"{"AWS":"AROADEPLOYEREXAMPLE01"}"#), to: Principals.deployer))
        #expect(!granted(resourcePolicy(#"{"AWS":"AIDABOBEXAMPLE0000001"}"#), to: Principals.alice))
    }

    @Test func services() {
        let p = resourcePolicy(#"{"Service":["s3.amazonaws.com","lambda.amazonaws.com"]}"#)
        #expect(granted(p, to: Principals.lambda))
        #expect(!granted(p, to: Principals.alice))
        #expect(!granted(resourcePolicy(#"{"Service":"events.amazonaws.com"}"#), to: Principals.lambda))
        #expect(!granted(resourcePolicy(#"{"AWS":"123456789012"}"#), to: Principals.lambda))
        #expect(!granted(resourcePolicy(#"{"Federated":"accounts.google.com"}"#), to: Principals.alice))
    }

    @Test func accountsDelegateInResourcePolicies() {
        // An account in an Allow grants its root; its users and roles need their own identity policy.
        for account in [#"{"AWS":"123456789012"}"#, #"{"AWS":"arn:aws:iam::123456789012:root"}"#] {
            let p = resourcePolicy(account)
            #expect(granted(p, to: Principals.root))
            #expect(!granted(p, to: Principals.alice))
            #expect(!granted(p, to: Principals.deployer))
            #expect(!granted(p, to: Principals.stranger))
            #expect(PolicyEvaluator.evaluate(request("lambda:InvokeFunction"), identityPolicies: [identity()],
                                             resourcePolicy: p) == .allow)
        }
        // An account in a Deny covers every principal of the account.
        let deny = resourcePolicy(#"{"AWS":"123456789012"}"#, effect: "Deny")
        #expect(PolicyEvaluator.evaluate(request("lambda:InvokeFunction"), identityPolicies: [identity()], resourcePolicy: deny)
            == .explicitDeny(.resourcePolicy))
        #expect(PolicyEvaluator.evaluate(request("lambda:InvokeFunction", by: Principals.stranger), identityPolicies: [identity()],
                                         resourcePolicy: deny) == .allow)
    }

    @Test func trustPolicies() {
        // The account principal trusts every principal of the account (their identity policies decide the rest).
        let account = trustPolicy(#"{"AWS":"arn:aws:iam::123456789012:root"}"#)
        #expect(trusted(account, Principals.alice))
        #expect(trusted(account, Principals.deployer))
        #expect(trusted(account, Principals.root))
        #expect(!trusted(account, Principals.stranger))
        #expect(!trusted(account, Principals.lambda))

        let lambda = trustPolicy(#"{"Service":"lambda.amazonaws.com"}"#)
        #expect(trusted(lambda, Principals.lambda))
        #expect(!trusted(lambda, Principals.alice))

        let bob = trustPolicy(#"{"AWS":"arn:aws:iam::123456789012:user/bob"}"#)
        #expect(trusted(bob, Principals.bob))
        #expect(!trusted(bob, Principals.alice))

        // Only the trust policy's action: sts:AssumeRole is not sts:TagSession.
        #expect(!PolicyEvaluator.trusts(lambda, request: request("sts:TagSession", "arn:aws:iam::123456789012:role/R", by: Principals.lambda)))

        // A Deny in the trust policy wins; conditions apply (sts:ExternalId).
        let guarded = policy(#"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"s3cr3t"}}},
          {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::210987654321:user/blocked"},"Action":"sts:AssumeRole"}]}
        """#, .trust)
        let assume = { (caller: RequestPrincipal, externalId: String) in
            PolicyEvaluator.trusts(guarded, request: request("sts:AssumeRole", "arn:aws:iam::123456789012:role/R", by: caller,
                                                             ["sts:ExternalId": [externalId]]))
        }
        #expect(assume(Principals.stranger, "s3cr3t"))
        #expect(!assume(Principals.stranger, "guess"))
        var blocked = Principals.stranger
        blocked.arn = "arn:aws:iam::210987654321:user/blocked"
        #expect(!assume(blocked, "s3cr3t"))
    }

    @Test func notPrincipalWithDenySparesOnlyAFullyListedChain() {
        // AWS's example: deny all but Bob, listing Bob and his account.
        let sparesBob = resourcePolicy(#"{"AWS":["arn:aws:iam::123456789012:user/bob","arn:aws:iam::123456789012:root"]}"#,
                                       effect: "Deny", element: "NotPrincipal")
        let allowAll = identity()
        func decision(_ caller: RequestPrincipal, _ p: Policy) -> Decision {
            PolicyEvaluator.evaluate(request("lambda:InvokeFunction", by: caller), identityPolicies: [allowAll], resourcePolicy: p)
        }
        #expect(decision(Principals.bob, sparesBob) == .allow)
        #expect(decision(Principals.alice, sparesBob) == .explicitDeny(.resourcePolicy))
        #expect(decision(Principals.root, sparesBob) == .allow)
        #expect(decision(Principals.lambda, sparesBob) == .explicitDeny(.resourcePolicy))
        // Listing Bob without his account does not spare him: the account is checked first.
        let bobOnly = resourcePolicy(#"{"AWS":"arn:aws:iam::123456789012:user/bob"}"#, effect: "Deny", element: "NotPrincipal")
        #expect(decision(Principals.bob, bobOnly) == .explicitDeny(.resourcePolicy))
        // A role session is spared when the session, its role and the account are listed.
        let sparesSession = resourcePolicy(#"{"AWS":["arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-7","arn:aws:iam::123456789012:role/ops/Deployer","arn:aws:iam::123456789012:root"]}"#,
                                           effect: "Deny", element: "NotPrincipal")
        #expect(decision(Principals.deployer, sparesSession) == .allow)
        let noRole = resourcePolicy(#"{"AWS":["arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-7","arn:aws:iam::123456789012:root"]}"#,
                                    effect: "Deny", element: "NotPrincipal")
        #expect(decision(Principals.deployer, noRole) == .explicitDeny(.resourcePolicy))
    }

    @Test func notPrincipalWithAllowGrantsEveryoneElse() {
        let p = resourcePolicy(#"{"AWS":"arn:aws:iam::123456789012:user/bob"}"#, element: "NotPrincipal")
        #expect(granted(p, to: Principals.alice))
        #expect(granted(p, to: Principals.stranger))
        #expect(!granted(p, to: Principals.bob))
    }
}
