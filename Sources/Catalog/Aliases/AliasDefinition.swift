import Foundation

/// A named pointer at one function version, optionally sending a share of invocations to a second one.
public struct AliasDefinition: Codable, Sendable, Equatable {
    public var functionName: String
    public var name: String
    /// The version most invocations run: a number or `$LATEST`.
    public var functionVersion: String
    public var description: String
    /// At most one other version and the fraction (0–1) of invocations it gets.
    public var additionalVersionWeights: [String: Double]
    public var revisionId: String

    public init(functionName: String, name: String, functionVersion: String, description: String,
                additionalVersionWeights: [String: Double], revisionId: String) {
        self.functionName = functionName
        self.name = name
        self.functionVersion = functionVersion
        self.description = description
        self.additionalVersionWeights = additionalVersionWeights
        self.revisionId = revisionId
    }

    /// Every version the alias can route to.
    public var versions: [String] { [functionVersion] + additionalVersionWeights.keys.sorted() }

    /// The version one invocation runs, given a uniform draw in 0..<1.
    public func route(draw: Double) -> String {
        var threshold = 0.0
        for (version, weight) in additionalVersionWeights.sorted(by: { $0.key < $1.key }) {
            threshold += weight
            if draw < threshold { return version }
        }
        return functionVersion
    }
}
