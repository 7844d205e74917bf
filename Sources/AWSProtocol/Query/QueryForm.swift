/// The parameters of an AWS query-protocol request (IAM, STS, SNS): `Action`, `Version` and the operation's
/// members, form-encoded in the body (or the query string), with lists as `Name.member.N` and maps as
/// `Name.entry.N.key` / `Name.entry.N.value`.
public struct QueryForm: Sendable {
    public private(set) var parameters: [String: String]

    public init(parameters: [String: String]) {
        self.parameters = parameters
    }

    /// Parses an `application/x-www-form-urlencoded` body and adds the query string's parameters
    /// (the body wins when both name one).
    public init(body: [UInt8], query: [(name: String, value: String)] = []) {
        var parameters: [String: String] = [:]
        for item in query { parameters[item.name] = item.value }
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            parameters[name] = value
        }
        self.parameters = parameters
    }

    public subscript(name: String) -> String? { parameters[name] }

    /// The `Action` parameter: the operation's name.
    public var action: String? { parameters["Action"] }

    /// Members of a list of strings (`Name.member.1`, `Name.member.2`, …) in order.
    public func list(_ name: String) -> [String] {
        var values: [String] = []
        var index = 1
        while let value = parameters["\(name).member.\(index)"] {
            values.append(value)
            index += 1
        }
        return values
    }

    /// Whether any member of a list (or the empty list marker `Name=`) was sent.
    public func hasList(_ name: String) -> Bool {
        parameters[name] != nil || parameters["\(name).member.1"] != nil
    }

    /// Members of a list of structures: for each index, the fields under `Name.member.N.`.
    public func structures(_ name: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var index = 1
        while true {
            let prefix = "\(name).member.\(index)."
            var fields: [String: String] = [:]
            for (key, value) in parameters where key.hasPrefix(prefix) {
                fields[String(key.dropFirst(prefix.count))] = value
            }
            if fields.isEmpty { break }
            result.append(fields)
            index += 1
        }
        return result
    }

    /// `Tags.member.N.Key` / `.Value` pairs, in order.
    public func tags(_ name: String = "Tags") -> [(key: String, value: String)] {
        structures(name).map { ($0["Key"] ?? "", $0["Value"] ?? "") }
    }

    static func decode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = Array(bytes)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                   let low = hexValue(iterator[iterator.startIndex + 1]) {
                    out.append(high << 4 | low)
                    iterator = iterator.dropFirst(2)
                } else {
                    out.append(byte)
                }
            default:
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
