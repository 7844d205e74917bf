/// Topic and subscription ARNs of this server's account and region.
public struct TopicAddressing: Sendable {
    public let region: String
    public let accountId: String

    public init(region: String, accountId: String) {
        self.region = region
        self.accountId = accountId
    }

    public func topicArn(_ name: String) -> String {
        "arn:aws:sns:\(region):\(accountId):\(name)"
    }

    /// The topic name of an SNS topic ARN (any account and region; the caller looks it up); nil when it is not one.
    public static func topicName(fromARN arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "sns", !parts[5].isEmpty else { return nil }
        return String(parts[5])
    }

    /// The topic ARN a subscription ARN (`<topic arn>:<uuid>`) belongs to.
    public static func topicArn(ofSubscription arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 7, parts[0] == "arn", parts[2] == "sns" else { return nil }
        return parts[0..<6].joined(separator: ":")
    }

    /// Whether a name is a valid topic name (FIFO names end with `.fifo`).
    public static func isValidName(_ name: String, fifo: Bool) -> Bool {
        var base = Substring(name)
        if fifo {
            guard name.hasSuffix(".fifo") else { return false }
            base = base.dropLast(5)
        }
        return !base.isEmpty && name.count <= 256
            && base.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
