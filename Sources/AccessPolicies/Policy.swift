/// Where a policy document is attached, which decides the elements it must and must not have.
public enum PolicyKind: Sendable, Equatable {
    /// Attached to a user, group or role: no `Principal`, `Resource` required.
    case identity
    /// Attached to a resource (a function's policy, a queue's policy): `Principal` and `Resource` required.
    case resource
    /// A role's `AssumeRolePolicyDocument`: `Principal` required, no `Resource`, only `sts:` actions.
    case trust
}

/// A parsed, validated and compiled policy document. Compiling does all the text work once: action patterns are
/// lower-cased, wildcards split, condition values parsed to numbers, dates and CIDR blocks, and statements indexed by
/// the service of their actions, so that evaluation only compares bytes.
///
/// A document without `Version` is read as 2008-10-17, where `${…}` is plain text rather than a policy variable.
public struct Policy: Sendable {
    public let kind: PolicyKind
    /// The document's `Id`, if any.
    public let id: String?
    /// Shared, immutable: copying a `Policy` costs one reference count.
    let compiled: CompiledStatements

    /// Parses and validates `json` as IAM does for a policy of `kind`; throws with the message of AWS's
    /// `MalformedPolicyDocument` error when IAM would refuse it.
    public init(json: String, kind: PolicyKind) throws(MalformedPolicy) {
        let document = try PolicyParser(kind: kind).parse(json)
        self.kind = kind
        self.id = document.id
        self.compiled = CompiledStatements(document.statements)
    }

    public var statementCount: Int { compiled.statements.count }

    /// The statements' `Sid`s, in order (nil where a statement has none).
    public var statementIds: [String?] { compiled.statements.map(\.sid) }

    /// The `AWS` principals the document names, as written (account ids and ARNs, not `*`), for callers that check
    /// the entities exist.
    public var namedAWSPrincipals: [String] {
        compiled.statements.flatMap { statement -> [String] in
            switch statement.principal {
            case .principal(let m)?, .notPrincipal(let m)?: m.awsValues
            case nil: []
            }
        }
    }

    /// Whether a `Deny` statement covers the request.
    func denies(_ context: EvaluationContext, delegatingAccounts: Bool) -> Bool {
        compiled.anyMatches(compiled.denies, context, delegatingAccounts: delegatingAccounts)
    }

    /// Whether an `Allow` statement covers the request.
    func allows(_ context: EvaluationContext, delegatingAccounts: Bool) -> Bool {
        compiled.anyMatches(compiled.allows, context, delegatingAccounts: delegatingAccounts)
    }
}
