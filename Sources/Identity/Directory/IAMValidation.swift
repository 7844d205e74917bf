/// IAM's input constraints (from its service model) and quotas, checked as AWS's front end checks them: the first
/// violation becomes a `ValidationError` worded like AWS's ("1 validation error detected: Value 'x' at 'userName'
/// failed to satisfy constraint: …"). `member` is the request member in the model's lower camel case.
public enum IAMValidation {
    public static let maxTags = 50
    public static let accessKeysPerUser = 2
    public static let attachedPoliciesPerEntity = 10
    public static let groupsPerUser = 10
    public static let versionsPerPolicy = 5
    public static let managedPolicySize = 6_144
    public static let trustPolicySize = 2_048
    public static let minSessionDuration = 3_600
    public static let maxSessionDuration = 43_200

    /// Aggregate size of all inline policies of one entity, in non-whitespace characters.
    public static func inlinePolicyQuota(of owner: PolicyOwner) -> Int {
        switch owner {
        case .user: 2_048
        case .group: 5_120
        case .role: 10_240
        }
    }

    static func violation(_ value: String?, _ member: String, _ constraint: String) -> IAMError {
        let shown = value.map { "'\($0)'" } ?? "null"
        return .validation("1 validation error detected: Value \(shown) at '\(member)' failed to satisfy constraint: \(constraint)")
    }

    public static func required(_ value: String?, _ member: String) throws(IAMError) -> String {
        guard let value else { throw violation(nil, member, "Member must not be null") }
        return value
    }

    static func length(_ value: String, _ member: String, min: Int = 1, max: Int) throws(IAMError) {
        let count = value.count
        if count < min { throw violation(value, member, "Member must have length greater than or equal to \(min)") }
        if count > max { throw violation(value, member, "Member must have length less than or equal to \(max)") }
    }

    /// Users, groups, roles, policies: `[\w+=,.@-]+` (`\w` is ASCII, as in Java).
    public static func name(_ value: String?, member: String, max: Int) throws(IAMError) -> String {
        let value = try required(value, member)
        try length(value, member, max: max)
        guard value.unicodeScalars.allSatisfy(isNameCharacter) else {
            throw violation(value, member, "Member must satisfy regular expression pattern: [\\w+=,.@-]+")
        }
        return value
    }

    static func isNameCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "+", "=", ",", ".", "@", "-": true
        default: false
        }
    }

    /// An entity path: `/` or `/…/` of printable ASCII, at most 512 characters; nil means `/`.
    public static func path(_ value: String?, member: String = "path") throws(IAMError) -> String {
        guard let value else { return "/" }
        try length(value, member, max: 512)
        let printable = value.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
        guard value == "/" || (value.count >= 3 && value.hasPrefix("/") && value.hasSuffix("/") && printable) else {
            throw violation(value, member, "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)")
        }
        return value
    }

    /// A managed policy's path: `((/[A-Za-z0-9\.,\+@=_-]+)*)/`.
    public static func policyPath(_ value: String?, member: String = "path") throws(IAMError) -> String {
        guard let value else { return "/" }
        try length(value, member, max: 512)
        let segments = value.split(separator: "/", omittingEmptySubsequences: false)
        let valid = value.hasPrefix("/") && value.hasSuffix("/")
            && segments.dropFirst().dropLast().allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(isNameCharacter) }
        guard valid else {
            throw violation(value, member, "Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/")
        }
        return value
    }

    /// A `PathPrefix` of the list operations: `\u002F[\u0021-\u007F]*`; nil means every path.
    public static func pathPrefix(_ value: String?, member: String = "pathPrefix") throws(IAMError) -> String {
        guard let value else { return "/" }
        try length(value, member, max: 512)
        guard value.hasPrefix("/"), value.unicodeScalars.allSatisfy({ (0x21...0x7F).contains($0.value) }) else {
            throw violation(value, member, "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*")
        }
        return value
    }

    /// A policy document's text: 1 to 131,072 characters of tab, newline, carriage return and U+0020–U+00FF.
    public static func policyText(_ value: String?, member: String = "policyDocument") throws(IAMError) -> String {
        let value = try required(value, member)
        try length(value, member, max: 131_072)
        let allowed = value.unicodeScalars.allSatisfy { s in
            s == "\t" || s == "\n" || s == "\r" || (0x20...0xFF).contains(s.value)
        }
        guard allowed else {
            throw violation(value, member,
                            "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+")
        }
        return value
    }

    /// What IAM counts against its policy size quotas: every character but whitespace.
    public static func policySize(_ document: String) -> Int {
        document.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
    }

    /// A role's description: at most 1,000 characters of tab, newline, carriage return, printable ASCII, U+00A1–U+00FF.
    public static func roleDescription(_ value: String?) throws(IAMError) -> String? {
        guard let value else { return nil }
        try length(value, "description", min: 0, max: 1_000)
        let allowed = value.unicodeScalars.allSatisfy { s in
            s == "\t" || s == "\n" || s == "\r" || (0x20...0x7E).contains(s.value) || (0xA1...0xFF).contains(s.value)
        }
        guard allowed else {
            throw violation(value, "description",
                            "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*")
        }
        return value
    }

    public static func policyDescription(_ value: String?) throws(IAMError) -> String? {
        guard let value else { return nil }
        try length(value, "description", min: 0, max: 1_000)
        return value
    }

    public static func maxSessionDuration(_ value: Int?) throws(IAMError) -> Int? {
        guard let value else { return nil }
        if value < minSessionDuration {
            throw violation(String(value), "maxSessionDuration", "Member must have value greater than or equal to \(minSessionDuration)")
        }
        if value > maxSessionDuration {
            throw violation(String(value), "maxSessionDuration", "Member must have value less than or equal to \(maxSessionDuration)")
        }
        return value
    }

    /// `v1`, `v2`, … (`v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`).
    public static func versionId(_ value: String?) throws(IAMError) -> String {
        let value = try required(value, "versionId")
        let body = value.dropFirst()
        let number = body.prefix { $0 != "." }
        let valid = value.hasPrefix("v") && number.first.map { $0 != "0" } == true
            && number.allSatisfy(\.isASCII) && number.allSatisfy(\.isNumber)
        guard valid else {
            throw violation(value, "versionId", "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?")
        }
        return value
    }

    /// Tags sent with a create or tag operation: at most 50, keys 1–128 and values 0–256 characters of letters,
    /// spaces, digits and `_.:/=+-@`, no key twice (keys compare without case).
    public static func tags(_ tags: [IAMTag], member: String = "tags") throws(IAMError) {
        if tags.count > maxTags {
            let shown = "[" + tags.map { "Tag(key=\($0.key), value=\($0.value))" }.joined(separator: ", ") + "]"
            throw violation(shown, member, "Member must have length less than or equal to \(maxTags)")
        }
        var seen = Set<String>()
        for (index, tag) in tags.enumerated() {
            let prefix = "\(member).\(index + 1).member"
            try tagKey(tag.key, member: prefix + ".key")
            try length(tag.value, prefix + ".value", min: 0, max: 256)
            guard tag.value.unicodeScalars.allSatisfy(isTagCharacter) else {
                throw violation(tag.value, prefix + ".value",
                                "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*")
            }
            guard seen.insert(tag.key.lowercased()).inserted else {
                throw .invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
            }
        }
    }

    public static func tagKey(_ key: String, member: String) throws(IAMError) {
        try length(key, member, max: 128)
        guard key.unicodeScalars.allSatisfy(isTagCharacter) else {
            throw violation(key, member, "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+")
        }
    }

    static func isTagCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return "_.:/=+-@".unicodeScalars.contains(s)
        }
    }
}
