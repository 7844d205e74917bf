/// A runtime this host can run, and the interpreter behind it.
public struct RuntimeInfo: Sendable, Equatable, Codable {
    /// Lambda's identifier, e.g. `python3.11`, `nodejs20.x`, `provided.al2023`.
    public var identifier: String
    /// The interpreter's path, nil for `provided*` (the zip brings its own `bootstrap`).
    public var interpreter: String?
    /// The interpreter's version as it reported it.
    public var version: String?

    public init(identifier: String, interpreter: String? = nil, version: String? = nil) {
        self.identifier = identifier
        self.interpreter = interpreter
        self.version = version
    }

    public var isCustom: Bool { identifier.hasPrefix("provided") }
}

/// The runtimes CreateFunction and UpdateFunctionConfiguration accept on this host.
public struct RuntimeRegistry: Sendable {
    public let runtimes: [RuntimeInfo]

    public static let customRuntimes = ["provided", "provided.al2", "provided.al2023"]

    /// Every runtime identifier Lambda's API knows (what layers may declare themselves compatible with).
    public static let knownIdentifiers: Set<String> = [
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
        "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x", "nodejs26.x", "java8", "java8.al2", "java11", "java17",
        "java21", "java25", "java8.al2023", "java11.al2023", "java17.al2023", "python2.7", "python3.6", "python3.7",
        "python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14", "python3.15",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "dotnet10",
        "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "ruby3.2", "ruby3.3", "ruby3.4", "ruby4.0",
        "provided", "provided.al2", "provided.al2023", "custom",
    ]

    public init(runtimes: [RuntimeInfo]) {
        var seen = Set<String>()
        self.runtimes = runtimes.filter { seen.insert($0.identifier).inserted }
    }

    public func runtime(_ identifier: String) -> RuntimeInfo? {
        runtimes.first { $0.identifier == identifier }
    }

    public var identifiers: [String] { runtimes.map(\.identifier) }

    /// Throws `InvalidParameterValueException` naming the runtimes available here when `identifier` is not one.
    /// Whether SnapStart may be on for functions of a runtime: Python (AWS: 3.12 and later; here 3.9 and later, whose
    /// standard library has what a template's copy needs, since a host runs the Pythons it has). Swiftlet has no Java
    /// or .NET runtimes; Node.js is refused as on AWS.
    public static func supportsSnapStart(_ identifier: String) -> Bool {
        guard identifier.hasPrefix("python3."), let minor = Int(identifier.dropFirst("python3.".count)) else { return false }
        return minor >= 9
    }

    public func check(_ identifier: String) throws(LambdaError) {
        guard runtime(identifier) == nil else { return }
        throw .invalidParameter(
            "Value \(identifier) at 'runtime' is not a runtime available on this host. Runtimes available: \(identifiers.joined(separator: ", "))")
    }
}
