/// Queue names, URLs and ARNs of this server: `<endpoint>/<account>/<name>`, `arn:aws:sqs:<region>:<account>:<name>`.
public struct QueueAddressing: Sendable {
    public let region: String
    public let accountId: String

    public init(region: String, accountId: String) {
        self.region = region
        self.accountId = accountId
    }

    public func arn(_ name: String) -> String { "arn:aws:sqs:\(region):\(accountId):\(name)" }

    public func url(_ name: String, base: String) -> String { "\(base)/\(accountId)/\(name)" }

    /// The queue a URL names (any host: clients may reach us by another name); nil when it is not one of ours.
    public func name(fromURL url: String) -> String? {
        let parts = url.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 2, parts[parts.count - 2] == accountId else { return nil }
        return parts.last
    }

    /// The queue an ARN names; nil when it is not a queue of this region and account.
    public func name(fromARN arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", parts[3] == region, parts[4] == accountId else { return nil }
        return parts[5]
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 80
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
    }
}
