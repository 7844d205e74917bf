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

    public init(runtimes: [RuntimeInfo]) {
        var seen = Set<String>()
        self.runtimes = runtimes.filter { seen.insert($0.identifier).inserted }
    }

    public func runtime(_ identifier: String) -> RuntimeInfo? {
        runtimes.first { $0.identifier == identifier }
    }

    public var identifiers: [String] { runtimes.map(\.identifier) }

    /// Throws `InvalidParameterValueException` naming the runtimes available here when `identifier` is not one.
    public func check(_ identifier: String) throws(LambdaError) {
        guard runtime(identifier) == nil else { return }
        throw .invalidParameter(
            "Value \(identifier) at 'runtime' is not a runtime available on this host. Runtimes available: \(identifiers.joined(separator: ", "))")
    }
}
