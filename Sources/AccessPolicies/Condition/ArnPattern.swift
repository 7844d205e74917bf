/// An `ArnEquals`/`ArnLike` value: the six colon-delimited components of an ARN, each matched on its own (so a `*`
/// in the region does not reach into the account), the last one taking the rest of the ARN, colons included.
/// A value with fewer than six components is matched against the whole request value as one pattern.
struct ArnPattern: Sendable {
    private let components: [WildcardPattern]

    init(_ text: String, variables: Bool) {
        let syntax = PatternSyntax(wildcards: true, variables: variables)
        let parts = Self.split(text)
        if parts.count == 6 {
            components = parts.map { WildcardPattern($0, syntax: syntax, foldsCase: false) }
        } else {
            components = [WildcardPattern(text, syntax: syntax, foldsCase: false)]
        }
    }

    func matches(_ value: String, in context: EvaluationContext) -> Bool {
        if components.count == 1 { return components[0].matches(value, in: context) }
        var value = value
        return value.withUTF8 { bytes in
            var start = 0
            for index in 0..<6 {
                let end: Int
                if index == 5 {
                    end = bytes.count
                } else {
                    guard let colon = bytes[start...].firstIndex(of: UInt8(ascii: ":")) else { return false }
                    end = colon
                }
                guard components[index].matches(UnsafeBufferPointer(rebasing: bytes[start..<end]), in: context) else {
                    return false
                }
                start = end + 1
            }
            return true
        }
    }

    /// The text split at its first five colons.
    private static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        while parts.count < 5, let colon = rest.firstIndex(of: ":") {
            parts.append(String(rest[..<colon]))
            rest = rest[rest.index(after: colon)...]
        }
        parts.append(String(rest))
        return parts
    }
}
