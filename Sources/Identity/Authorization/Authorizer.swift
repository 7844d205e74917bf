import AWSProtocol
import AccessPolicies
import Auth
import Foundation
import Synchronization

/// Knows every credential the server accepts (the root key pair, users' access keys, session tokens) and decides
/// whether a caller may do what an operation needs, as IAM decides within one account. Answers from
/// `IdentityState` and caches compiled policies per identity (dropped when IAM changes) and resource policies by text.
public final class Authorizer: CredentialLookup, Sendable {
    public let accountId: String
    private let root: Credentials
    private let state: IdentityState
    private let sessions: SessionIssuer
    private let identityPolicies = Mutex<(generation: UInt64, byOwner: [PolicyOwner: [Policy]])>((0, [:]))
    private let resourcePolicies = Mutex<[String: Policy?]>([:])
    /// Called with the access key id and signing service of every request signed with a user's key (LastUsed).
    private let onKeyUse: @Sendable (String, String, String) -> Void

    public init(root: Credentials, accountId: String, state: IdentityState, sessions: SessionIssuer,
                onKeyUse: @escaping @Sendable (_ accessKeyId: String, _ service: String, _ region: String) -> Void = { _, _, _ in }) {
        self.root = root
        self.accountId = accountId
        self.state = state
        self.sessions = sessions
        self.onKeyUse = onKeyUse
    }

    // MARK: Authentication

    public func secret(forAccessKey accessKeyId: String, sessionToken: String?) throws(AuthError) -> String {
        if let sessionToken {
            return try sessions.claims(token: sessionToken, accessKeyId: accessKeyId).secretAccessKey
        }
        if accessKeyId == root.accessKeyId { return root.secretAccessKey }
        guard let key = state.snapshot.accessKeys[accessKeyId], key.status == .active else { throw .unrecognizedClient }
        return key.secret
    }

    /// The identity behind a verified signature.
    public func caller(_ verified: VerifiedCaller) throws(AuthError) -> Caller {
        let snapshot = state.snapshot
        if let token = verified.sessionToken {
            let claims = try sessions.claims(token: token, accessKeyId: verified.accessKeyId)
            switch claims.subject {
            case .root:
                return rootCaller(accessKeyId: verified.accessKeyId)
            case .user(let name):
                guard let user = snapshot.users[name] else { throw .unrecognizedClient }
                return userCaller(user, accessKeyId: verified.accessKeyId)
            case .role(let name, let sessionName):
                guard let role = snapshot.roles[name] else { throw .unrecognizedClient }
                return roleCaller(role, sessionName: sessionName, accessKeyId: verified.accessKeyId)
            }
        }
        if verified.accessKeyId == root.accessKeyId { return rootCaller(accessKeyId: verified.accessKeyId) }
        guard let key = snapshot.accessKeys[verified.accessKeyId], key.status == .active,
              let user = snapshot.users[key.userName] else { throw .unrecognizedClient }
        onKeyUse(key.accessKeyId, verified.service, verified.region)
        return userCaller(user, accessKeyId: key.accessKeyId)
    }

    func rootCaller(accessKeyId: String) -> Caller {
        let arn = "arn:aws:iam::\(accountId):root"
        return Caller(
            principal: RequestPrincipal(kind: .root, arn: arn, accountId: accountId, roleArn: nil, serviceName: nil,
                                        userId: accountId, username: nil),
            identity: CallerIdentity(arn: arn, accountId: accountId, userId: accountId, accessKeyId: accessKeyId, isRoot: true),
            policyOwner: nil)
    }

    func userCaller(_ user: IAMUser, accessKeyId: String) -> Caller {
        Caller(
            principal: RequestPrincipal(kind: .user, arn: user.arn, accountId: accountId, roleArn: nil, serviceName: nil,
                                        userId: user.userId, username: user.name),
            identity: CallerIdentity(arn: user.arn, accountId: accountId, userId: user.userId, userName: user.name,
                                     accessKeyId: accessKeyId, isRoot: false),
            policyOwner: .user(user.name))
    }

    func roleCaller(_ role: IAMRole, sessionName: String, accessKeyId: String) -> Caller {
        let arn = Self.assumedRoleArn(accountId: accountId, roleName: role.name, sessionName: sessionName)
        let userId = "\(role.roleId):\(sessionName)"
        return Caller(
            principal: RequestPrincipal(kind: .assumedRole, arn: arn, accountId: accountId, roleArn: role.arn, serviceName: nil,
                                        userId: userId, username: nil),
            identity: CallerIdentity(arn: arn, accountId: accountId, userId: userId, roleName: role.name,
                                     accessKeyId: accessKeyId, isRoot: false),
            policyOwner: .role(role.name))
    }

    /// `arn:aws:sts::<account>:assumed-role/<role name>/<session>` (the role's path is not part of it).
    public static func assumedRoleArn(accountId: String, roleName: String, sessionName: String) -> String {
        "arn:aws:sts::\(accountId):assumed-role/\(roleName)/\(sessionName)"
    }

    // MARK: Authorization

    /// Throws `AccessDenied` unless the caller may have `permission`. The root may do everything.
    public func authorize(_ caller: Caller, _ permission: RequiredPermission, context extra: [String: [String]] = [:]) throws(AccessDenied) {
        guard let owner = caller.policyOwner else { return }
        var context = permission.context
        for (key, values) in extra { context[key] = values }
        let request = AuthorizationRequest(principal: caller.principal, action: permission.action, resource: permission.resource,
                                           context: context)
        let decision = PolicyEvaluator.evaluate(request, identityPolicies: policies(of: owner),
                                                resourcePolicy: permission.resourcePolicy.flatMap(resourcePolicy))
        switch decision {
        case .allow: return
        case .explicitDeny(let source):
            throw AccessDenied(principalArn: caller.principal.arn, action: permission.action, resource: permission.resource,
                               explicitDenyIn: source)
        case .implicitDeny:
            throw AccessDenied(principalArn: caller.principal.arn, action: permission.action, resource: permission.resource,
                               explicitDenyIn: nil)
        }
    }

    /// Whether a session of the role `roleArn` named `sessionName` may have `permission` (what the platform checks
    /// before it acts with a function's execution role); false when the role does not exist.
    public func rolePermits(roleArn: String, sessionName: String, _ permission: RequiredPermission) -> Bool {
        guard let role = state.snapshot.roles.values.first(where: { $0.arn == roleArn }) else { return false }
        do {
            try authorize(roleCaller(role, sessionName: sessionName, accessKeyId: ""), permission)
            return true
        } catch {
            return false
        }
    }

    /// The compiled identity policies of a user (with its groups') or a role.
    public func policies(of owner: PolicyOwner) -> [Policy] {
        let (snapshot, generation) = state.versioned
        if let cached = identityPolicies.withLock({ $0.generation == generation ? $0.byOwner[owner] : nil }) {
            return cached
        }
        // A stored document was validated when it was written; one that no longer parses grants nothing.
        let compiled = snapshot.policyDocuments(for: owner).compactMap { try? Policy(json: $0, kind: .identity) }
        identityPolicies.withLock { cache in
            if cache.generation != generation { cache = (generation, [:]) }
            cache.byOwner[owner] = compiled
        }
        return compiled
    }

    /// A resource policy compiled once per distinct text.
    func resourcePolicy(_ json: String) -> Policy? {
        if let cached = resourcePolicies.withLock({ $0[json] }) { return cached }
        let compiled = try? Policy(json: json, kind: .resource)
        resourcePolicies.withLock { cache in
            if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
            cache[json] = compiled
        }
        return compiled
    }
}
