import Foundation

/// Persistence of published versions and aliases.
public protocol ReleaseStore: Sendable {
    /// In one transaction: reads the function, its newest version and the next version number, asks
    /// `make` for the version to publish (nil: `existing` is returned instead) and inserts it.
    /// `StoreError.notFound` when the function is absent.
    func publishVersion(
        of functionName: String,
        _ make: @Sendable (_ latest: FunctionDefinition, _ newest: FunctionDefinition?, _ nextNumber: Int) throws -> FunctionDefinition?
    ) async throws -> FunctionDefinition
    func version(_ number: Int, of functionName: String) async throws -> FunctionDefinition?
    /// Published versions in ascending order, strictly after `after`.
    func listVersions(of functionName: String, after: Int?, limit: Int) async throws -> [FunctionDefinition]
    /// `StoreError.referenced` when an alias routes to it, `.notFound` when absent.
    func deleteVersion(_ number: Int, of functionName: String) async throws

    /// `StoreError.alreadyExists`, `.notFound` (function) or `.versionNotFound`.
    func createAlias(_ alias: AliasDefinition) async throws
    func alias(_ name: String, of functionName: String) async throws -> AliasDefinition?
    /// All aliases of the function, ordered by name.
    func aliases(of functionName: String) async throws -> [AliasDefinition]
    /// Replaces the alias when its revision is still `expectedRevision`.
    func replaceAlias(_ alias: AliasDefinition, expectedRevision: String) async throws
    func deleteAlias(_ name: String, of functionName: String) async throws
}

/// Persistence of layer versions.
public protocol LayerStore: Sendable {
    /// Inserts the version `make` builds from the next number of the layer (numbers are never reused).
    func publishLayerVersion(named layerName: String,
                             _ make: @Sendable (_ number: Int) -> LayerVersionDefinition) async throws -> LayerVersionDefinition
    func layerVersion(_ number: Int, of layerName: String) async throws -> LayerVersionDefinition?
    /// Versions of one layer, newest first.
    func layerVersions(of layerName: String) async throws -> [LayerVersionDefinition]
    /// Every layer version, by layer name then newest first.
    func allLayerVersions() async throws -> [LayerVersionDefinition]
    /// Deletes it when present (deleting twice is not an error).
    func deleteLayerVersion(_ number: Int, of layerName: String) async throws
}

/// Persistence of reserved and provisioned concurrency.
public protocol ConcurrencyStore: Sendable {
    func reservedConcurrency(of functionName: String) async throws -> Int?
    /// Every reservation, by function name.
    func reservedConcurrencies() async throws -> [String: Int]
    /// Sets (or with nil removes) the reservation; `check` sees the sum of the other functions'
    /// reservations inside the transaction and may refuse. `StoreError.notFound` when the function is absent.
    func setReservedConcurrency(of functionName: String, to value: Int?,
                                check: @Sendable (_ reservedByOthers: Int) throws -> Void) async throws

    func provisionedConcurrencyConfigs(of functionName: String) async throws -> [ProvisionedConcurrencyConfig]
    func allProvisionedConcurrencyConfigs() async throws -> [ProvisionedConcurrencyConfig]
    func putProvisionedConcurrencyConfig(_ config: ProvisionedConcurrencyConfig) async throws
    /// `StoreError.notFound` when there was none.
    func deleteProvisionedConcurrencyConfig(of functionName: String, qualifier: String) async throws
}

/// Persistence of resource policies, keyed by the resource they belong to.
public protocol PolicyStore: Sendable {
    func policy(of resource: String) async throws -> PolicyRecord?
    /// In one transaction: checks `expectedRevision` (when given) against the current policy, lets `change`
    /// produce the next document (an empty one deletes the policy) and stores it with a new revision.
    func updatePolicy(of resource: String, expectedRevision: String?,
                      _ change: @Sendable (PolicyDocument) throws -> PolicyDocument) async throws -> PolicyRecord?
}
