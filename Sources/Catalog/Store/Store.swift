import Foundation

/// Why a store write did not happen.
public enum StoreError: Error, Equatable {
    case alreadyExists
    case notFound
    /// The record changed since it was read (optimistic concurrency).
    case revisionMismatch
    /// A version the write refers to does not exist.
    case versionNotFound(String)
    /// The record is still referred to (by the named alias) and cannot go.
    case referenced(by: String)
}

/// A function as the store returns it for listing pages.
public struct FunctionPage: Sendable {
    public var functions: [FunctionDefinition]
    /// Name to continue after, when more exist.
    public var nextAfter: String?

    public init(functions: [FunctionDefinition], nextAfter: String?) {
        self.functions = functions
        self.nextAfter = nextAfter
    }
}

/// Usage figures for GetAccountSettings.
public struct StoreUsage: Sendable, Equatable {
    public var functionCount: Int
    public var totalCodeSize: Int

    public init(functionCount: Int, totalCodeSize: Int) {
        self.functionCount = functionCount
        self.totalCodeSize = totalCodeSize
    }
}

/// Persistence of the catalog's state. Every method is one transaction: a crash leaves either the
/// state before the call or the state after it. Deleting a function deletes everything it owns.
public protocol Store: ReleaseStore, LayerStore, ConcurrencyStore, PolicyStore, AsyncStore, MappingStore, FunctionURLStore {
    /// Inserts a new function with its tags; `StoreError.alreadyExists` when the name is taken.
    func createFunction(_ function: FunctionDefinition, tags: [String: String]) async throws
    func function(named name: String) async throws -> FunctionDefinition?
    /// Functions ordered by name, strictly after `after`.
    func listFunctions(after: String?, limit: Int) async throws -> FunctionPage
    /// Replaces the function when its stored revision is still `expectedRevision`.
    func replaceFunction(_ function: FunctionDefinition, expectedRevision: String) async throws
    /// Deletes the function and its tags; `StoreError.notFound` when absent.
    func deleteFunction(named name: String) async throws
    /// The function's tags; nil when the function does not exist.
    func tags(ofFunction name: String) async throws -> [String: String]?
    /// Adds and removes tags atomically, enforcing `limit` on the result; `StoreError.notFound` when absent.
    /// Returns the resulting tag count.
    @discardableResult
    func updateTags(ofFunction name: String, set: [String: String], remove: [String], limit: Int) async throws -> Int
    func usage() async throws -> StoreUsage
    /// Digests of all code the store still refers to.
    func referencedBlobDigests() async throws -> Set<String>
    /// What the store is, for `/health`.
    var kind: String { get }
}

/// Thrown by `updateTags` when the result would exceed the limit.
public struct TagLimitExceeded: Error, Equatable {
    public init() {}
}
