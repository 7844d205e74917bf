/// A policy document IAM would refuse, with the message AWS returns in its `MalformedPolicyDocument` error.
public struct MalformedPolicy: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

extension MalformedPolicy {
    // The texts clients see. Where AWS's wording for a case is not known, the nearest of these is used.

    /// Not JSON, a value of the wrong type, an unknown or repeated field, an unknown condition operator.
    static let syntax = MalformedPolicy(reason: "Syntax errors in policy.")
    /// A trust policy that is not JSON at all.
    static let invalidJSON = MalformedPolicy(reason: "This policy contains invalid Json")
    /// A `Version` other than 2012-10-17 or 2008-10-17, a misspelt `Effect`, an unreadable date.
    static let legacyParsing = MalformedPolicy(reason: "The policy failed legacy parsing")
    static let principalInIdentityPolicy = MalformedPolicy(reason: "Policy document should not specify a principal.")
    static let missingPrincipal = MalformedPolicy(reason: "Missing required field Principal")
    static let emptyPrincipal = MalformedPolicy(reason: "Missing required field Principal cannot be empty!")
    static let missingActions = MalformedPolicy(reason: "Policy statement must contain actions.")
    static let missingResources = MalformedPolicy(reason: "Policy statement must contain resources.")
    static let missingVendor = MalformedPolicy(
        reason: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
    static let oneColon = MalformedPolicy(reason: "Actions/Condition can contain only one colon.")
    static let duplicateSid = MalformedPolicy(reason: "Statement IDs (SID) in a single policy must be unique.")
    static let sidNotAlphanumeric = MalformedPolicy(
        reason: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*")
    static let trustResource = MalformedPolicy(reason: "Has prohibited field Resource")
    static let trustNotResource = MalformedPolicy(reason: "AssumeRole policy must not contain resources.")
    static let trustActions = MalformedPolicy(reason: "AssumeRole policy may only specify STS AssumeRole actions.")
    static let trustAllowNotPrincipal = MalformedPolicy(reason: "Allow with NotPrincipal is not allowed.")
    static let emptyTrustStatement = MalformedPolicy(reason: "Could not parse the policy: Statement is empty!")
    static let resourceVendor = MalformedPolicy(
        reason: "Resource vendor must be fully qualified and cannot contain regexes.")

    static func vendorNotValid(_ vendor: String) -> MalformedPolicy {
        MalformedPolicy(reason: "Vendor \(vendor) is not valid")
    }

    static func resourceNotARN(_ resource: String) -> MalformedPolicy {
        MalformedPolicy(reason: "Resource \(resource) must be in ARN format or \"*\".")
    }

    static func invalidPrincipal(type: String, value: String) -> MalformedPolicy {
        MalformedPolicy(reason: "Invalid principal in policy: \"\(type)\":\"\(value)\"")
    }
}
