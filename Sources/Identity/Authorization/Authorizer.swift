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
    let state: IdentityState
    private let sessions: SessionIssuer
    private let identityPolicies = Mutex<(generation: UInt64, byOwner: [PolicyOwner: [Policy]])>((0, [:]))
    private let textPolicies = Mutex<[String: Policy?]>([:])
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
        // The root key, the common case, needs no identity data.
        if verified.sessionToken == nil, verified.accessKeyId == root.accessKeyId { return rootCaller(accessKeyId: verified.accessKeyId) }
        let snapshot = state.snapshot
        if let token = verified.sessionToken {
            let claims = try sessions.claims(token: token, accessKeyId: verified.accessKeyId)
            switch claims.subject {
            case .root:
                var caller = rootCaller(accessKeyId: verified.accessKeyId)
                caller.isSessionTokenSession = true
                return caller
            case .user(let name):
                // The session belongs to the user it was issued to, not to one created later under the same name.
                guard let user = snapshot.users[name], claims.subjectId == nil || claims.subjectId == user.userId else {
                    throw .unrecognizedClient
                }
                var caller = userCaller(user, accessKeyId: verified.accessKeyId)
                caller.isSessionTokenSession = true
                return caller
            case .role(let name, let sessionName):
                guard let role = snapshot.roles[name], claims.subjectId == nil || claims.subjectId == role.roleId else {
                    throw .unrecognizedClient
                }
                var caller = roleCaller(role, sessionName: sessionName, accessKeyId: verified.accessKeyId)
                caller.sessionPolicy = claims.sessionPolicy
                return caller
            }
        }
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
        var caller = Caller(
            principal: RequestPrincipal(kind: .user, arn: user.arn, accountId: accountId, roleArn: nil, serviceName: nil,
                                        userId: user.userId, username: user.name),
            identity: CallerIdentity(arn: user.arn, accountId: accountId, userId: user.userId, userName: user.name,
                                     accessKeyId: accessKeyId, isRoot: false),
            policyOwner: .user(user.name))
        caller.permissionsBoundary = user.permissionsBoundary
        return caller
    }

    func roleCaller(_ role: IAMRole, sessionName: String, accessKeyId: String) -> Caller {
        let arn = Self.assumedRoleArn(accountId: accountId, roleName: role.name, sessionName: sessionName)
        let userId = "\(role.roleId):\(sessionName)"
        var caller = Caller(
            principal: RequestPrincipal(kind: .assumedRole, arn: arn, accountId: accountId, roleArn: role.arn, serviceName: nil,
                                        userId: userId, username: nil),
            identity: CallerIdentity(arn: arn, accountId: accountId, userId: userId, roleName: role.name,
                                     accessKeyId: accessKeyId, isRoot: false),
            policyOwner: .role(role.name))
        caller.permissionsBoundary = role.permissionsBoundary
        return caller
    }

    /// `arn:aws:sts::<account>:assumed-role/<role name>/<session>` (the role's path is not part of it).
    public static func assumedRoleArn(accountId: String, roleName: String, sessionName: String) -> String {
        "arn:aws:sts::\(accountId):assumed-role/\(roleName)/\(sessionName)"
    }

    // MARK: Authorization

    /// Throws `AccessDenied` unless the caller may have `permission`. The root may do everything.
    public func authorize(_ caller: Caller, _ permission: RequiredPermission) throws(AccessDenied) {
        guard let owner = caller.policyOwner else { return }
        var context = caller.requestContext
        for (key, values) in permission.context { context[key] = values }
        let request = AuthorizationRequest(principal: caller.principal, action: permission.action, resource: permission.resource,
                                           context: context)
        let resourcePolicy = permission.resourcePolicy.map { compiled($0, kind: .resource) ?? Self.denyAll }
        let identity = policies(of: owner)
        let denied = AccessDenied(principalArn: caller.principal.arn, action: permission.action, resource: permission.resource,
                                  reason: .noIdentityPolicyAllows)
        switch PolicyEvaluator.evaluate(request, identityPolicies: identity, resourcePolicy: resourcePolicy) {
        case .allow: break
        case .explicitDeny(let source):
            throw denied.because(source == .resourcePolicy ? .explicitDenyInResourcePolicy : .explicitDenyInIdentityPolicy)
        case .implicitDeny:
            throw denied
        }
        // A permissions boundary limits what identity policies grant; a resource policy naming the caller is not limited.
        if let boundaryArn = caller.permissionsBoundary {
            let grantedByResource = resourcePolicy.map {
                PolicyEvaluator.evaluate(request, identityPolicies: [], resourcePolicy: $0) == .allow
            } ?? false
            if !grantedByResource {
                let boundary = state.snapshot.managedPolicies[boundaryArn]?.defaultDocument.flatMap { compiled($0, kind: .identity) }
                switch PolicyEvaluator.evaluate(request, identityPolicies: [boundary ?? Self.denyAll], resourcePolicy: nil) {
                case .allow: break
                case .explicitDeny: throw denied.because(.explicitDenyInPermissionsBoundary)
                case .implicitDeny: throw denied.because(.noPermissionsBoundaryAllows)
                }
            }
        }
        // A session policy limits a role session further: it must allow the request too.
        if let session = caller.sessionPolicy {
            switch PolicyEvaluator.evaluate(request, identityPolicies: sessionPolicies(session), resourcePolicy: nil) {
            case .allow: return
            case .explicitDeny: throw denied.because(.explicitDenyInSessionPolicy)
            case .implicitDeny: throw denied.because(.noSessionPolicyAllows)
            }
        }
    }

    /// What a stored policy that no longer compiles stands for: it denies everything, so a broken document
    /// never drops its `Deny` statements (and the request is refused until the document is fixed).
    static let denyAll = try! Policy(json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
                                     kind: .identity)

    /// The compiled session policies of a role session (documents compiled once per distinct text).
    func sessionPolicies(_ session: SessionPolicy) -> [Policy] {
        let snapshot = state.snapshot
        var documents = session.managedArns.compactMap { snapshot.managedPolicies[$0]?.defaultDocument }
        if let document = session.document { documents.append(document) }
        return documents.compactMap { compiled($0, kind: .identity) }
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
        let generation = state.generation
        if let cached = identityPolicies.withLock({ $0.generation == generation ? $0.byOwner[owner] : nil }) {
            return cached
        }
        let (snapshot, current) = state.versioned
        // A stored document was validated when it was written; one that no longer compiles denies everything.
        let compiled = snapshot.policyDocuments(for: owner).map { (try? Policy(json: $0, kind: .identity)) ?? Self.denyAll }
        identityPolicies.withLock { cache in
            guard current >= cache.generation else { return }
            if cache.generation != current { cache = (current, [:]) }
            cache.byOwner[owner] = compiled
        }
        return compiled
    }

    /// A resource policy compiled once per distinct text.
    func resourcePolicy(_ json: String) -> Policy? {
        compiled(json, kind: .resource)
    }

    /// Policies that arrive as text with a request (resource and session policies), compiled once per distinct text.
    func compiled(_ json: String, kind: PolicyKind) -> Policy? {
        let key = (kind == .resource ? "r" : kind == .trust ? "t" : "i") + json
        if let cached = textPolicies.withLock({ $0[key] }) { return cached }
        let compiled = try? Policy(json: json, kind: kind)
        textPolicies.withLock { cache in
            if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
            cache[key] = compiled
        }
        return compiled
    }
}
