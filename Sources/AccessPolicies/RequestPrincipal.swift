/// The authenticated identity that makes a request, as policies see it: the `Principal` element matches it and the
/// `aws:Principal…`, `aws:userid` and `aws:username` condition keys describe it.
public struct RequestPrincipal: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The account's root user: `arn:aws:iam::ACCOUNT:root`.
        case root
        /// An IAM user: `arn:aws:iam::ACCOUNT:user/path/name`.
        case user
        /// A role session: `arn:aws:sts::ACCOUNT:assumed-role/Role/Session`.
        case assumedRole
        /// An AWS service acting on its own behalf, such as `lambda.amazonaws.com` assuming an execution role.
        case service
        /// An unauthenticated caller (a function URL with AuthType NONE): only `"Principal": "*"` names it.
        case anonymous
    }

    public var kind: Kind
    public var arn: String
    public var accountId: String
    /// For role sessions, the role's ARN (`arn:aws:iam::ACCOUNT:role/path/Role`): a policy naming the role
    /// matches its sessions, and it is the session's `aws:PrincipalArn`.
    public var roleArn: String?
    /// For services, the service principal, e.g. `lambda.amazonaws.com`.
    public var serviceName: String?
    /// `aws:userid`: `AIDA…` for users, `AROA…:session` for role sessions, the account id for the root.
    public var userId: String
    /// `aws:username`, present for IAM users only.
    public var username: String?

    public init(kind: Kind, arn: String, accountId: String, roleArn: String?, serviceName: String?, userId: String,
                username: String?) {
        self.kind = kind
        self.arn = arn
        self.accountId = accountId
        self.roleArn = roleArn
        self.serviceName = serviceName
        self.userId = userId
        self.username = username
    }
}
