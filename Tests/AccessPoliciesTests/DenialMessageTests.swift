import AccessPolicies
import Testing

@Suite struct DenialMessageTests {
    @Test func wording() {
        let r = request("lambda:InvokeFunction", ordersFunction, by: Principals.bob)
        #expect(DenialMessage.text(for: r, decision: .allow) == nil)
        #expect(DenialMessage.text(for: r, decision: .implicitDeny)
            == "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:orders because no identity-based policy allows the lambda:InvokeFunction action")
        #expect(DenialMessage.text(for: r, decision: .explicitDeny(.identityPolicy))
            == "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:orders with an explicit deny in an identity-based policy")
        #expect(DenialMessage.text(principalArn: Principals.deployer.arn, action: "sqs:SendMessage", resource: "arn:aws:sqs:us-east-1:123456789012:q",
                                   decision: .explicitDeny(.resourcePolicy))
            == "User: arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-7 is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:123456789012:q with an explicit deny in a resource-based policy")
    }
}
