/// Names, ARNs and retention periods as CloudWatch Logs accepts them.
public enum LogNaming {
    /// Retention periods PutRetentionPolicy accepts, in days.
    public static let retentionDays: Set<Int> = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]

    /// 1–512 characters of `a-z A-Z 0-9 . - _ / #`.
    public static func validateGroupName(_ name: String, member: String = "logGroupName") throws(LogsError) {
        guard (1...512).contains(name.utf8.count) else {
            throw .invalidParameter("1 validation error detected: Value '\(name)' at '\(member)' failed to satisfy constraint: Member must have length between 1 and 512")
        }
        guard name.utf8.allSatisfy(isGroupNameByte) else {
            throw .invalidParameter("1 validation error detected: Value '\(name)' at '\(member)' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+")
        }
    }

    /// 1–512 characters without `:` or `*`.
    public static func validateStreamName(_ name: String, member: String = "logStreamName") throws(LogsError) {
        guard (1...512).contains(name.utf8.count) else {
            throw .invalidParameter("1 validation error detected: Value '\(name)' at '\(member)' failed to satisfy constraint: Member must have length between 1 and 512")
        }
        guard !name.contains(":"), !name.contains("*") else {
            throw .invalidParameter("1 validation error detected: Value '\(name)' at '\(member)' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*")
        }
    }

    public static func validateRetention(_ days: Int) throws(LogsError) {
        guard retentionDays.contains(days) else {
            throw .invalidParameter("1 validation error detected: Value '\(days)' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \(retentionDays.sorted())")
        }
    }

    /// Up to 50 tags; keys 1–128, values ≤ 256 characters of letters, digits, spaces and `_ . : / = + - @`; no `aws:` keys.
    public static func validateTags(_ tags: [String: String]) throws(LogsError) {
        guard tags.count <= 50 else { throw .invalidParameter("A log group can have at most 50 tags.") }
        for (key, value) in tags {
            guard (1...128).contains(key.count), key.unicodeScalars.allSatisfy(isTagScalar) else {
                throw .invalidParameter("1 validation error detected: Value '\(key)' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]")
            }
            guard !key.lowercased().hasPrefix("aws:") else {
                throw .invalidParameter("Tag keys starting with 'aws:' are reserved for AWS use.")
            }
            guard value.count <= 256, value.unicodeScalars.allSatisfy(isTagScalar) else {
                throw .invalidParameter("1 validation error detected: Value '\(value)' at 'tags' failed to satisfy constraint: Map values must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]")
            }
        }
    }

    static func isGroupNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "#"):
            true
        default: false
        }
    }

    static func isTagScalar(_ s: Unicode.Scalar) -> Bool {
        if "_.:/=+-@".unicodeScalars.contains(s) { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .spaceSeparator, .lineSeparator, .paragraphSeparator, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

/// Builds and reads the ARNs of log groups and streams.
public struct LogARNs: Sendable {
    public var region: String
    public var accountId: String

    public init(region: String, accountId: String) {
        self.region = region
        self.accountId = accountId
    }

    /// `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups' `logGroupArn`, the tagging resource).
    public func group(_ name: String) -> String {
        "arn:aws:logs:\(region):\(accountId):log-group:\(name)"
    }

    /// The same with `:*` (DescribeLogGroups' `arn`, what IAM policies name).
    public func groupWildcard(_ name: String) -> String {
        group(name) + ":*"
    }

    public func stream(group: String, stream: String) -> String {
        self.group(group) + ":log-stream:" + stream
    }

    /// The group named by a log group ARN (with or without the trailing `:*`), nil for any other ARN.
    public func groupName(fromARN arn: String) -> String? {
        let prefix = "arn:aws:logs:\(region):\(accountId):log-group:"
        guard arn.hasPrefix(prefix) else { return nil }
        var name = Substring(arn.dropFirst(prefix.count))
        if name.hasSuffix(":*") { name = name.dropLast(2) }
        guard !name.isEmpty, !name.contains(":") else { return nil }
        return String(name)
    }
}
