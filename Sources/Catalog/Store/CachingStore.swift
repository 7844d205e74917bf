import Synchronization

/// Keeps the functions a store returned in memory, so invoking a function does not read and decode
/// its definition each time. Every write goes through this store and refreshes or drops the entry.
/// One process per store file: a cluster of nodes sharing a database needs invalidation this does not do.
public final class CachingStore: Store {
    let base: any Store
    private struct Cache {
        var functions: [String: FunctionDefinition] = [:]
        /// Bumped by every write, so a read that raced a write does not put back what the write replaced.
        var generation = 0
    }
    private let cache = Mutex(Cache())

    public init(_ base: any Store) {
        self.base = base
    }

    public var kind: String { base.kind }

    private func set(_ name: String, _ function: FunctionDefinition?) {
        cache.withLock {
            $0.generation += 1
            $0.functions[name] = function
        }
    }

    public func createFunction(_ function: FunctionDefinition, tags: [String: String]) async throws {
        try await base.createFunction(function, tags: tags)
        set(function.name, function)
    }

    public func function(named name: String) async throws -> FunctionDefinition? {
        let (cached, generation) = cache.withLock { ($0.functions[name], $0.generation) }
        if let cached { return cached }
        let loaded = try await base.function(named: name)
        if let loaded {
            cache.withLock { if $0.generation == generation { $0.functions[name] = loaded } }
        }
        return loaded
    }

    public func listFunctions(after: String?, limit: Int) async throws -> FunctionPage {
        try await base.listFunctions(after: after, limit: limit)
    }

    public func replaceFunction(_ function: FunctionDefinition, expectedRevision: String) async throws {
        do {
            try await base.replaceFunction(function, expectedRevision: expectedRevision)
            set(function.name, function)
        } catch {
            set(function.name, nil)
            throw error
        }
    }

    public func deleteFunction(named name: String) async throws {
        set(name, nil)
        defer { set(name, nil) }
        try await base.deleteFunction(named: name)
    }

    public func tags(ofFunction name: String) async throws -> [String: String]? {
        try await base.tags(ofFunction: name)
    }

    public func updateTags(ofFunction name: String, set: [String: String], remove: [String], limit: Int) async throws -> Int {
        try await base.updateTags(ofFunction: name, set: set, remove: remove, limit: limit)
    }

    public func usage() async throws -> StoreUsage {
        try await base.usage()
    }

    public func referencedBlobDigests() async throws -> Set<String> {
        try await base.referencedBlobDigests()
    }
}
