import Foundation

/// Persistence of function URL configurations: at most one per function and qualifier (nil: the unqualified
/// function), url ids unique. Deleting a function deletes its configs; deleting an alias deletes the alias's.
public protocol FunctionURLStore: Sendable {
    /// `StoreError.alreadyExists` when the function (or alias) already has one; `.notFound` when the function or the
    /// alias does not exist (checked in the same transaction).
    func createFunctionURL(_ config: FunctionURLConfig) async throws
    /// Replaces the config of the same function and qualifier (its url id unchanged); `StoreError.notFound` when none.
    func replaceFunctionURL(_ config: FunctionURLConfig) async throws
    /// Deletes the config and returns it; nil when there was none.
    func deleteFunctionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig?
    func functionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig?
    /// The config whose url id is `id`.
    func functionURL(id: String) async throws -> FunctionURLConfig?
    /// The function's configs, the unqualified one first, then by alias name.
    func functionURLs(of functionName: String) async throws -> [FunctionURLConfig]
    /// Every config, by function name then qualifier.
    func allFunctionURLs() async throws -> [FunctionURLConfig]
}
