/// A statement's `Principal` or `NotPrincipal` in a resource or trust policy, and the rules by which it matches the
/// caller.
///
/// Matching, as AWS describes it:
/// - `"*"` and `{"AWS": "*"}` match everyone, services included.
/// - A user ARN matches that user; a role ARN matches every session of the role; an assumed-role session ARN matches
///   that session; `{"Service": "lambda.amazonaws.com"}` matches that service. No partial wildcards.
/// - An account (`"123456789012"` or `arn:aws:iam::123456789012:root`) delegates to the account: in an `Allow`
///   of a resource policy it matches the account's root only, so the account's users and roles still need an
///   identity-based policy that allows the request; in a trust policy it matches every principal of the account
///   (the caller then checks that their identity policies allow `sts:AssumeRole`); in a `Deny` it matches every
///   principal of the account.
/// - `NotPrincipal` with `Deny` spares only a principal whose whole chain is listed: the account, and for a user its
///   ARN, for a role session both the role and the session ARN (AWS validates the account first, then the role,
///   then the session). `NotPrincipal` with `Allow` applies to everyone except the principals it names.
/// - Unique ids (`AIDA…` for users, `AROA…` for roles), which IAM shows in place of deleted entities, match the
///   entity with that id.
struct PrincipalMatcher: Sendable {
    private(set) var everyone = false
    private(set) var accounts: [String] = []
    private(set) var arns: [String] = []
    private(set) var uniqueIds: [String] = []
    private(set) var services: [String] = []
    private(set) var federated: [String] = []
    private(set) var canonicalUsers: [String] = []
    /// The `AWS` values as written, other than `*`.
    private(set) var awsValues: [String] = []

    init(_ json: PolicyJSON) throws(MalformedPolicy) {
        switch json {
        case .string("*"):
            everyone = true
        case .object(let fields):
            guard !fields.isEmpty else { throw .emptyPrincipal }
            for (type, value) in fields {
                let values: [String]
                switch value {
                case .string(let single): values = [single]
                case .array(let items):
                    var strings: [String] = []
                    for item in items {
                        guard case .string(let s) = item else { throw .syntax }
                        strings.append(s)
                    }
                    guard !strings.isEmpty else { throw .emptyPrincipal }
                    values = strings
                default: throw .syntax
                }
                for value in values { try add(type: type, value: value) }
            }
        default:
            throw .syntax
        }
    }

    private mutating func add(type: String, value: String) throws(MalformedPolicy) {
        switch type {
        case "AWS":
            if value == "*" {
                everyone = true
                return
            }
            awsValues.append(value)
            if value.utf8.count == 12, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                accounts.append(value)
            } else if let account = Self.rootAccount(value) {
                accounts.append(account)
            } else if Self.isPrincipalARN(value) {
                arns.append(value)
            } else if Self.isUniqueId(value) {
                uniqueIds.append(value)
            } else {
                throw .invalidPrincipal(type: type, value: value)
            }
        case "Service":
            guard !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "*" }) else {
                throw .invalidPrincipal(type: type, value: value)
            }
            services.append(value)
        case "Federated":
            guard !value.isEmpty else { throw .invalidPrincipal(type: type, value: value) }
            federated.append(value)
        case "CanonicalUser":
            guard !value.isEmpty else { throw .invalidPrincipal(type: type, value: value) }
            canonicalUsers.append(value)
        default:
            throw .syntax
        }
    }

    /// Whether this element names `principal`. With `delegatingAccounts`, an account also names every principal
    /// of the account; without, it names the account's root only.
    func names(_ principal: RequestPrincipal, delegatingAccounts: Bool) -> Bool {
        if everyone { return true }
        switch principal.kind {
        case .anonymous:
            return false
        case .service:
            guard let name = principal.serviceName else { return false }
            return services.contains(name)
        case .root:
            return accounts.contains(principal.accountId)
        case .user:
            if delegatingAccounts, accounts.contains(principal.accountId) { return true }
            return arns.contains(principal.arn) || uniqueIds.contains(principal.userId)
        case .assumedRole:
            if delegatingAccounts, accounts.contains(principal.accountId) { return true }
            if arns.contains(principal.arn) { return true }
            if let role = principal.roleArn, arns.contains(role) { return true }
            return uniqueIds.contains { principal.userId.hasPrefix($0 + ":") }
        }
    }

    /// Whether a `NotPrincipal` of a `Deny` spares `principal`: every link of its chain is listed.
    func sparesFromDeny(_ principal: RequestPrincipal) -> Bool {
        if everyone { return true }
        switch principal.kind {
        case .anonymous:
            return false
        case .service:
            return names(principal, delegatingAccounts: false)
        case .root:
            return accounts.contains(principal.accountId)
        case .user:
            return accounts.contains(principal.accountId)
                && (arns.contains(principal.arn) || uniqueIds.contains(principal.userId))
        case .assumedRole:
            guard accounts.contains(principal.accountId), arns.contains(principal.arn) else { return false }
            guard let role = principal.roleArn else { return true }
            return arns.contains(role) || uniqueIds.contains { principal.userId.hasPrefix($0 + ":") }
        }
    }

    /// `arn:<partition>:iam::<account>:root` → the account.
    private static func rootAccount(_ value: String) -> String? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", isPartition(parts[1]), parts[2] == "iam", parts[3].isEmpty,
              isAccountId(parts[4]), parts[5] == "root" else { return nil }
        return String(parts[4])
    }

    /// An IAM user or role ARN, an assumed-role session ARN or a federated-user ARN, without wildcards.
    private static func isPrincipalARN(_ value: String) -> Bool {
        guard !value.contains(where: { $0 == "*" || $0 == "?" }) else { return false }
        let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", isPartition(parts[1]), parts[3].isEmpty, isAccountId(parts[4]) else {
            return false
        }
        let resource = parts[5]
        switch parts[2] {
        case "iam":
            return (resource.hasPrefix("user/") || resource.hasPrefix("role/")) && !resource.hasSuffix("/")
        case "sts":
            if resource.hasPrefix("assumed-role/") {
                return resource.split(separator: "/", omittingEmptySubsequences: false).count == 3
                    && !resource.hasSuffix("/")
            }
            return resource.hasPrefix("federated-user/") && resource.count > "federated-user/".count
        default:
            return false
        }
    }

    /// `AIDA…` (user) or `AROA…` (role) followed by upper-case letters and digits.
    private static func isUniqueId(_ value: String) -> Bool {
        (value.hasPrefix("AIDA") || value.hasPrefix("AROA")) && value.utf8.count >= 16
            && value.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) }
    }

    private static func isPartition(_ part: Substring) -> Bool {
        part == "aws" || part == "aws-cn" || part == "aws-us-gov"
    }

    private static func isAccountId(_ part: Substring) -> Bool {
        part.utf8.count == 12 && part.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
