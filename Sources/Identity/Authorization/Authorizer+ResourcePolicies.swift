import AWSProtocol
import AccessPolicies

extension Authorizer {
    /// Whether the resource's own policy lets an unauthenticated caller have `permission` (a function URL with
    /// AuthType `NONE`: only a statement with `"Principal": "*"` can allow it, and a `Deny` wins). No identity
    /// policy applies to nobody; `permission.context` carries the request's condition keys.
    public func resourcePolicyPermitsAnonymous(_ permission: RequiredPermission) -> Bool {
        let principal = RequestPrincipal(kind: .anonymous, arn: "*", accountId: "", roleArn: nil, serviceName: nil,
                                         userId: "anonymous", username: nil)
        return resourcePolicyPermits(principal, permission)
    }

    /// Whether the resource's own policy lets the AWS service `service` (`apigateway.amazonaws.com`) have
    /// `permission` — how API Gateway is allowed to invoke a function (conditions on `aws:SourceArn` and
    /// `aws:SourceAccount` come in `permission.context`).
    public func resourcePolicyPermitsService(_ service: String, _ permission: RequiredPermission) -> Bool {
        let principal = RequestPrincipal(kind: .service, arn: service, accountId: accountId, roleArn: nil,
                                         serviceName: service, userId: service, username: nil)
        return resourcePolicyPermits(principal, permission)
    }

    private func resourcePolicyPermits(_ principal: RequestPrincipal, _ permission: RequiredPermission) -> Bool {
        guard let json = permission.resourcePolicy else { return false }
        let policy = compiled(json, kind: .resource) ?? Self.denyAll
        let request = AuthorizationRequest(principal: principal, action: permission.action, resource: permission.resource,
                                           context: permission.context)
        return PolicyEvaluator.evaluate(request, identityPolicies: [], resourcePolicy: policy) == .allow
    }
}

extension Authorizer {
    /// Whether the role `roleArn` exists and its trust policy lets the AWS service `service` assume it (API Gateway
    /// acting with an integration's `CredentialsArn`).
    public func serviceCanAssume(_ service: String, roleArn: String) -> Bool {
        guard let role = state.snapshot.roles.values.first(where: { $0.arn == roleArn }),
              let trust = compiled(role.assumeRolePolicyDocument, kind: .trust) else { return false }
        let request = AuthorizationRequest(
            principal: RequestPrincipal(kind: .service, arn: service, accountId: accountId, roleArn: nil, serviceName: service,
                                        userId: service, username: nil),
            action: "sts:AssumeRole", resource: roleArn)
        return PolicyEvaluator.trusts(trust, request: request)
    }
}
