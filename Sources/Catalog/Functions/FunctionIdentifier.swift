/// A function named the ways Lambda accepts: `name`, `name:qualifier`, `account:function:name[:qualifier]`,
/// or `arn:aws:lambda:region:account:function:name[:qualifier]`.
public struct FunctionIdentifier: Sendable, Equatable {
    public var name: String
    public var qualifier: String?
    public var region: String?
    public var accountId: String?

    static let namePattern = "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"

    /// Parses `value`; `field` names the member in the error message.
    public static func parse(_ value: String, field: String = "functionName") throws(LambdaError) -> FunctionIdentifier {
        func invalid() -> LambdaError {
            .validation(field: field, value: value, constraint: "Member must satisfy regular expression pattern: \(namePattern)")
        }
        guard !value.isEmpty, value.utf8.count <= 170 else {
            throw .validation(field: field, value: value, constraint: "Member must have length less than or equal to 140")
        }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var id: FunctionIdentifier
        switch parts.count {
        case 1:
            id = FunctionIdentifier(name: parts[0])
        case 2:
            id = FunctionIdentifier(name: parts[0], qualifier: parts[1])
        case 3 where parts[1] == "function":
            id = FunctionIdentifier(name: parts[2], accountId: parts[0])
        case 4 where parts[1] == "function":
            id = FunctionIdentifier(name: parts[2], qualifier: parts[3], accountId: parts[0])
        case 7 where parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function":
            id = FunctionIdentifier(name: parts[6], region: parts[3], accountId: parts[4])
        case 8 where parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function":
            id = FunctionIdentifier(name: parts[6], qualifier: parts[7], region: parts[3], accountId: parts[4])
        default:
            throw invalid()
        }
        guard isValidName(id.name) else { throw invalid() }
        if parts.count <= 2, id.name.utf8.count > 64 {
            throw .validation(field: field, value: value, constraint: "Member must have length less than or equal to 64")
        }
        if let q = id.qualifier, !isValidQualifier(q) { throw invalid() }
        if let account = id.accountId, account.utf8.count != 12 || !account.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw invalid()
        }
        return id
    }

    public init(name: String, qualifier: String? = nil, region: String? = nil, accountId: String? = nil) {
        self.name = name
        self.qualifier = qualifier
        self.region = region
        self.accountId = accountId
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy(isNameByte)
    }

    static func isValidQualifier(_ q: String) -> Bool {
        q == "$LATEST" || (!q.isEmpty && q.utf8.count <= 128 && q.utf8.allSatisfy(isNameByte))
    }

    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
    }
}

/// ARNs of this server's resources.
public struct ARNBuilder: Sendable {
    public let region: String
    public let accountId: String

    public init(region: String, accountId: String) {
        self.region = region
        self.accountId = accountId
    }

    public func function(_ name: String, qualifier: String? = nil) -> String {
        let base = "arn:aws:lambda:\(region):\(accountId):function:\(name)"
        return qualifier.map { "\(base):\($0)" } ?? base
    }
}
