import AWSProtocol
import AccessPolicies
import Foundation

/// Turns identities into temporary credentials: AssumeRole for callers, GetSessionToken, and the execution-role
/// credentials Lambda gives every environment. Trust is decided as IAM does: the role's trust policy must allow the
/// caller, and unless it names the caller itself, the caller's own policies must allow `sts:AssumeRole` too.
public struct RoleSessions: Sendable {
    public static let lambdaService = "lambda.amazonaws.com"
    /// Longest life of a role session obtained with role credentials (role chaining).
    public static let chainedSessionLimit = 3600

    let authorizer: Authorizer
    let sessions: SessionIssuer
    let state: IdentityState

    public init(authorizer: Authorizer, sessions: SessionIssuer, state: IdentityState) {
        self.authorizer = authorizer
        self.sessions = sessions
        self.state = state
    }

    public struct AssumedRole: Sendable {
        public var credentials: TemporaryCredentials
        /// `assumed-role/<role>/<session>` ARN.
        public var arn: String
        /// `AROA…:<session>`.
        public var assumedRoleId: String
    }

    /// STS AssumeRole.
    public func assumeRole(caller: Caller, roleArn: String, sessionName: String, durationSeconds: Int?,
                           externalId: String?, sessionPolicy: SessionPolicy? = nil) throws -> AssumedRole {
        try Self.validateSessionName(sessionName)
        if let sessionPolicy { try Self.validate(sessionPolicy) }
        if let externalId, externalId.count < 2 || externalId.count > 1224 {
            throw STSError.validation("1 validation error detected: Value '\(externalId)' at 'externalId' failed to satisfy constraint: Member must have length \(externalId.count < 2 ? "greater than or equal to 2" : "less than or equal to 1224")")
        }
        let duration = durationSeconds ?? 3600
        if duration < 900 {
            throw STSError.validation("1 validation error detected: Value '\(duration)' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")
        }
        guard !caller.isRoot else { throw STSError.accessDenied("Roles may not be assumed by root accounts.") }
        let denied = STSError.accessDenied(
            "User: \(caller.principal.arn) is not authorized to perform: sts:AssumeRole on resource: \(roleArn)")
        guard let role = state.snapshot.roles.values.first(where: { $0.arn == roleArn }) else { throw denied }
        var context = caller.requestContext
        context["sts:RoleSessionName"] = [sessionName]
        if let externalId { context["sts:ExternalId"] = [externalId] }
        let request = AuthorizationRequest(principal: caller.principal, action: "sts:AssumeRole", resource: role.arn, context: context)
        guard let trust = try? Policy(json: role.assumeRolePolicyDocument, kind: .trust),
              PolicyEvaluator.trusts(trust, request: request) else { throw denied }
        let identity = caller.policyOwner.map { authorizer.policies(of: $0) } ?? []
        guard PolicyEvaluator.evaluate(request, identityPolicies: identity, resourcePolicy: trust) == .allow else { throw denied }
        if case .role = caller.policyOwner, duration > Self.chainedSessionLimit {
            throw STSError.validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
        }
        if duration > role.maxSessionDuration {
            throw STSError.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        }
        return try session(of: role, sessionName: sessionName, duration: duration, sessionPolicy: sessionPolicy)
    }

    /// Session policies as STS takes them: a document of at most 2,048 characters, at most 10 managed policy ARNs.
    static func validate(_ policy: SessionPolicy) throws {
        if let document = policy.document {
            if document.count > 2048 {
                throw STSError.validation("1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048")
            }
            do {
                _ = try Policy(json: document, kind: .identity)
            } catch {
                throw STSError.malformedPolicy(error.reason)
            }
        }
        if policy.managedArns.count > 10 {
            throw STSError.validation("1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10")
        }
        for arn in policy.managedArns where !arn.hasPrefix("arn:aws:iam::") || !arn.contains(":policy/") {
            throw STSError.validation("1 validation error detected: Value '\(arn)' at 'policyArns.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20")
        }
    }

    /// STS GetSessionToken: credentials that act as the calling user (or root) for `durationSeconds`.
    public func sessionToken(caller: Caller, durationSeconds: Int?) throws -> TemporaryCredentials {
        let limit = caller.isRoot ? 3600 : 129_600
        let duration = durationSeconds ?? (caller.isRoot ? 3600 : 43_200)
        if duration < 900 || duration > 129_600 {
            throw STSError.validation("1 validation error detected: Value '\(duration)' at 'durationSeconds' failed to satisfy constraint: Member must have value \(duration < 900 ? "greater than or equal to 900" : "less than or equal to 129600")")
        }
        guard !caller.identity.accessKeyId.hasPrefix("ASIA") else {
            throw STSError.accessDenied("Cannot call GetSessionToken with session credentials")
        }
        switch caller.policyOwner {
        case nil:
            return try sessions.issue(.root, duration: min(duration, limit))
        case .user(let name):
            let userId = state.snapshot.users[name]?.userId
            return try sessions.issue(.user(name: name), duration: duration, subjectId: userId)
        case .role, .group:
            throw STSError.accessDenied("Cannot call GetSessionToken with session credentials")
        }
    }

    /// Whether `roleArn` names a role whose trust policy lets Lambda assume it.
    public func lambdaCanAssume(_ roleArn: String) -> Bool {
        guard let role = state.snapshot.roles.values.first(where: { $0.arn == roleArn }),
              let trust = try? Policy(json: role.assumeRolePolicyDocument, kind: .trust) else { return false }
        return PolicyEvaluator.trusts(trust, request: Self.lambdaRequest(roleArn: role.arn, accountId: authorizer.accountId))
    }

    /// The credentials of a function's execution role, acting as `assumed-role/<role>/<function name>`;
    /// nil when the role does not exist or no longer trusts Lambda.
    public func executionRoleCredentials(roleArn: String, functionName: String, durationSeconds: Int) throws -> TemporaryCredentials? {
        guard lambdaCanAssume(roleArn), let role = state.snapshot.roles.values.first(where: { $0.arn == roleArn }) else { return nil }
        return try session(of: role, sessionName: functionName, duration: durationSeconds, capped: false).credentials
    }

    private func session(of role: IAMRole, sessionName: String, duration: Int, capped: Bool = true,
                         sessionPolicy: SessionPolicy? = nil) throws -> AssumedRole {
        let credentials = try sessions.issue(.role(name: role.name, sessionName: sessionName), duration: duration, capped: capped,
                                             sessionPolicy: sessionPolicy, subjectId: role.roleId)
        return AssumedRole(
            credentials: credentials,
            arn: Authorizer.assumedRoleArn(accountId: authorizer.accountId, roleName: role.name, sessionName: sessionName),
            assumedRoleId: "\(role.roleId):\(sessionName)")
    }

    static func lambdaRequest(roleArn: String, accountId: String) -> AuthorizationRequest {
        AuthorizationRequest(
            principal: RequestPrincipal(kind: .service, arn: lambdaService, accountId: accountId, roleArn: nil,
                                        serviceName: lambdaService, userId: lambdaService, username: nil),
            action: "sts:AssumeRole", resource: roleArn, context: [:])
    }

    static func validateSessionName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-")
        if name.count < 2 || name.count > 64 {
            throw STSError.validation("1 validation error detected: Value '\(name)' at 'roleSessionName' failed to satisfy constraint: Member must have length \(name.count < 2 ? "greater than or equal to 2" : "less than or equal to 64")")
        }
        if !name.allSatisfy(allowed.contains) {
            throw STSError.validation("1 validation error detected: Value '\(name)' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")
        }
    }
}
