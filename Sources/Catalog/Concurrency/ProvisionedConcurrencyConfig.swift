import Foundation

/// Provisioned concurrency requested on one version or alias of a function.
public struct ProvisionedConcurrencyConfig: Codable, Sendable, Equatable {
    public var functionName: String
    /// A version number or an alias name (never `$LATEST`).
    public var qualifier: String
    public var requested: Int
    public var lastModified: Date

    public init(functionName: String, qualifier: String, requested: Int, lastModified: Date) {
        self.functionName = functionName
        self.qualifier = qualifier
        self.requested = requested
        self.lastModified = lastModified
    }
}

/// How far the invoker has got with a provisioned configuration.
public struct ProvisionedConcurrencyStatus: Sendable, Equatable {
    public enum Phase: String, Sendable { case inProgress = "IN_PROGRESS", ready = "READY", failed = "FAILED" }
    public var phase: Phase
    public var allocated: Int
    public var available: Int
    public var reason: String?

    public init(phase: Phase, allocated: Int, available: Int, reason: String? = nil) {
        self.phase = phase
        self.allocated = allocated
        self.available = available
        self.reason = reason
    }
}
