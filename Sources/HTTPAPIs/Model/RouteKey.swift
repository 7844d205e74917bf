/// A route key of an HTTP API: `$default`, or a method (or `ANY`) and a path whose segments are literals, path
/// variables (`{id}`) or, last, a greedy variable (`{proxy+}`). Parsed once with AWS's rules; stored as its text.
public struct RouteKey: Sendable, Hashable, CustomStringConvertible {
    /// One segment of a route path.
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String)
        /// `{name+}`: one or more segments, only at the end.
        case greedy(String)
    }

    public static let defaultKey = "$default"
    /// Methods a route may name; `ANY` matches every method no other route of the same path names.
    public static let methods: Set<String> = ["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    public let rawValue: String
    /// nil for `$default`.
    public let method: String?
    public let segments: [Segment]

    public var isDefault: Bool { method == nil }
    public var description: String { rawValue }

    public static let `default` = RouteKey(rawValue: defaultKey, method: nil, segments: [])

    private init(rawValue: String, method: String?, segments: [Segment]) {
        self.rawValue = rawValue
        self.method = method
        self.segments = segments
    }

    /// Parses `GET /items/{id}`, `ANY /{proxy+}` or `$default`; anything else is a BadRequestException.
    public static func parse(_ text: String) throws(HTTPAPIError) -> RouteKey {
        if text == defaultKey { return .default }
        let invalid = HTTPAPIError.badRequest(
            "The provided route key is not formatted properly for HTTP protocol. Format should be \"<HTTP METHOD> /<RESOURCE PATH>\" or \"$default\"")
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, methods.contains(String(parts[0])), parts[1].hasPrefix("/"), parts[1].utf8.count <= 1024 else {
            throw invalid
        }
        let path = parts[1]
        var segments: [Segment] = []
        var names: Set<String> = []
        if path != "/" {
            let pieces = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                guard !piece.isEmpty else { throw invalid }
                if piece.hasPrefix("{") && piece.hasSuffix("}") {
                    var name = piece.dropFirst().dropLast()
                    let greedy = name.hasSuffix("+")
                    if greedy { name = name.dropLast() }
                    guard !name.isEmpty, name.allSatisfy(Self.isVariableCharacter) else { throw invalid }
                    guard names.insert(String(name)).inserted else {
                        throw .badRequest("The route key \(text) uses the path variable \(name) more than once.")
                    }
                    if greedy {
                        guard index == pieces.count - 1 else {
                            throw .badRequest("A greedy path variable must be the last segment of the route path: \(text)")
                        }
                        segments.append(.greedy(String(name)))
                    } else {
                        segments.append(.variable(String(name)))
                    }
                } else {
                    guard !piece.contains(where: { $0 == "{" || $0 == "}" || $0 == "?" || $0 == "#" || $0.isWhitespace }) else {
                        throw invalid
                    }
                    segments.append(.literal(String(piece)))
                }
            }
        }
        return RouteKey(rawValue: text, method: String(parts[0]), segments: segments)
    }

    private static func isVariableCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-" || c == ".")
    }
}

extension RouteKey: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try RouteKey.parse(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
