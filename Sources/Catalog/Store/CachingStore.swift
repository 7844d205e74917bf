import Synchronization

/// Keeps the functions, versions and aliases a store returned in memory, so invoking does not read and
/// decode them each time. Every write goes through this store and refreshes or drops what it changed.
/// One process per store file: a cluster of nodes sharing a database needs invalidation this does not do.
public final class CachingStore: Store {
    let base: any Store
    private struct Cache {
        var functions: [String: FunctionDefinition] = [:]
        /// Published versions never change, so they stay until deleted.
        var versions: [String: FunctionDefinition] = [:]
        var aliases: [String: AliasDefinition] = [:]
        /// Event invoke configs by function and qualifier; `.some(nil)` remembers that there is none.
        var eventInvokeConfigs: [String: EventInvokeConfig?] = [:]
        /// Resource policies by resource key, read to authorize every request by a caller other than root;
        /// `.some(nil)` remembers that there is none.
        var policies: [String: PolicyRecord?] = [:]
        /// Functions' tags, read for `aws:ResourceTag/…` when a caller other than root is authorized.
        var tags: [String: [String: String]] = [:]
        /// Every function URL config, once first read (nil until then): the ingress looks one up per request.
        var functionURLs: FunctionURLIndex?
        /// Bumped by every write, so a read that raced a write does not put back what the write replaced.
        var generation = 0

        mutating func dropFunction(_ name: String) {
            functions[name] = nil
            let prefix = name + "\u{0}"
            versions = versions.filter { !$0.key.hasPrefix(prefix) }
            aliases = aliases.filter { !$0.key.hasPrefix(prefix) }
            eventInvokeConfigs = eventInvokeConfigs.filter { !$0.key.hasPrefix(prefix) }
            policies = policies.filter { $0.key != "function:\(name)" && !$0.key.hasPrefix("function:\(name):") }
            tags[name] = nil
            functionURLs?.removeAll(of: name)
        }
    }
    private let cache = Mutex(Cache())

    public init(_ base: any Store) {
        self.base = base
    }

    public var kind: String { base.kind }

    private static func key(_ function: String, _ member: String) -> String { function + "\u{0}" + member }

    private func update(_ change: (inout Cache) -> Void) {
        cache.withLock {
            $0.generation += 1
            change(&$0)
        }
    }

    /// Reads through the cache: `lookup` finds a cached value, `load` asks the store, `remember` keeps it.
    private func cached<T>(_ lookup: (Cache) -> T?, load: () async throws -> T?, remember: @escaping (inout Cache, T) -> Void) async throws -> T? {
        let (hit, generation) = cache.withLock { (lookup($0), $0.generation) }
        if let hit { return hit }
        let loaded = try await load()
        if let loaded {
            cache.withLock { if $0.generation == generation { remember(&$0, loaded) } }
        }
        return loaded
    }

    // MARK: Invalidation

    /// Forgets everything cached about `function` (another node of a cluster changed it); the next read asks the store.
    public func invalidate(function name: String) {
        update { cache in
            cache.dropFunction(name)
            // The index of URLs is all or nothing: one the other node added is found by reading it again.
            cache.functionURLs = nil
        }
    }

    /// Forgets everything cached (another node changed something the cache cannot pin to one function, or changes
    /// may have been missed while the feed was down).
    public func invalidateAll() {
        update { cache in
            let generation = cache.generation
            cache = Cache()
            cache.generation = generation
        }
    }

    // MARK: Functions

    public func createFunction(_ function: FunctionDefinition, tags: [String: String]) async throws {
        try await base.createFunction(function, tags: tags)
        update { $0.functions[function.name] = function }
    }

    public func function(named name: String) async throws -> FunctionDefinition? {
        try await cached({ $0.functions[name] }, load: { try await base.function(named: name) },
                         remember: { $0.functions[name] = $1 })
    }

    public func listFunctions(after: String?, limit: Int) async throws -> FunctionPage {
        try await base.listFunctions(after: after, limit: limit)
    }

    public func replaceFunction(_ function: FunctionDefinition, expectedRevision: String) async throws {
        do {
            try await base.replaceFunction(function, expectedRevision: expectedRevision)
            update { $0.functions[function.name] = function }
        } catch {
            update { $0.functions[function.name] = nil }
            throw error
        }
    }

    public func deleteFunction(named name: String) async throws {
        update { $0.dropFunction(name) }
        defer { update { $0.dropFunction(name) } }
        try await base.deleteFunction(named: name)
    }

    public func tags(ofFunction name: String) async throws -> [String: String]? {
        try await cached({ $0.tags[name] }, load: { try await base.tags(ofFunction: name) }, remember: { $0.tags[name] = $1 })
    }

    public func updateTags(ofFunction name: String, set: [String: String], remove: [String], limit: Int) async throws -> Int {
        update { $0.tags[name] = nil }
        defer { update { $0.tags[name] = nil } }
        return try await base.updateTags(ofFunction: name, set: set, remove: remove, limit: limit)
    }

    public func usage() async throws -> StoreUsage {
        try await base.usage()
    }

    public func referencedBlobDigests() async throws -> Set<String> {
        try await base.referencedBlobDigests()
    }

    // MARK: Versions and aliases

    public func publishVersion(
        of functionName: String,
        _ make: @Sendable (FunctionDefinition, FunctionDefinition?, Int) throws -> FunctionDefinition?
    ) async throws -> FunctionDefinition {
        try await base.publishVersion(of: functionName, make)
    }

    public func version(_ number: Int, of functionName: String) async throws -> FunctionDefinition? {
        let key = Self.key(functionName, String(number))
        return try await cached({ $0.versions[key] }, load: { try await base.version(number, of: functionName) },
                                remember: { $0.versions[key] = $1 })
    }

    public func listVersions(of functionName: String, after: Int?, limit: Int) async throws -> [FunctionDefinition] {
        try await base.listVersions(of: functionName, after: after, limit: limit)
    }

    public func deleteVersion(_ number: Int, of functionName: String) async throws {
        let key = Self.key(functionName, String(number))
        defer { update { $0.versions[key] = nil; $0.eventInvokeConfigs[key] = nil; $0.policies["function:\(functionName):\(number)"] = nil } }
        try await base.deleteVersion(number, of: functionName)
    }

    public func createAlias(_ alias: AliasDefinition) async throws {
        try await base.createAlias(alias)
        update { $0.aliases[Self.key(alias.functionName, alias.name)] = alias }
    }

    public func alias(_ name: String, of functionName: String) async throws -> AliasDefinition? {
        let key = Self.key(functionName, name)
        return try await cached({ $0.aliases[key] }, load: { try await base.alias(name, of: functionName) },
                                remember: { $0.aliases[key] = $1 })
    }

    public func aliases(of functionName: String) async throws -> [AliasDefinition] {
        try await base.aliases(of: functionName)
    }

    public func replaceAlias(_ alias: AliasDefinition, expectedRevision: String) async throws {
        let key = Self.key(alias.functionName, alias.name)
        do {
            try await base.replaceAlias(alias, expectedRevision: expectedRevision)
            update { $0.aliases[key] = alias }
        } catch {
            update { $0.aliases[key] = nil }
            throw error
        }
    }

    public func deleteAlias(_ name: String, of functionName: String) async throws {
        let key = Self.key(functionName, name)
        update { $0.aliases[key] = nil }
        defer {
            update {
                $0.aliases[key] = nil; $0.eventInvokeConfigs[key] = nil; $0.policies["function:\(functionName):\(name)"] = nil
                $0.functionURLs?.remove(of: functionName, qualifier: name)
            }
        }
        try await base.deleteAlias(name, of: functionName)
    }

    // MARK: Layers and concurrency: not on the invoke path, read from the store

    public func publishLayerVersion(named layerName: String,
                                    _ make: @Sendable (Int) -> LayerVersionDefinition) async throws -> LayerVersionDefinition {
        try await base.publishLayerVersion(named: layerName, make)
    }

    public func layerVersion(_ number: Int, of layerName: String) async throws -> LayerVersionDefinition? {
        try await base.layerVersion(number, of: layerName)
    }

    public func layerVersions(of layerName: String) async throws -> [LayerVersionDefinition] {
        try await base.layerVersions(of: layerName)
    }

    public func allLayerVersions() async throws -> [LayerVersionDefinition] {
        try await base.allLayerVersions()
    }

    public func deleteLayerVersion(_ number: Int, of layerName: String) async throws {
        defer { update { $0.policies["layer:\(layerName):\(number)"] = nil } }
        try await base.deleteLayerVersion(number, of: layerName)
    }

    public func reservedConcurrency(of functionName: String) async throws -> Int? {
        try await base.reservedConcurrency(of: functionName)
    }

    public func reservedConcurrencies() async throws -> [String: Int] {
        try await base.reservedConcurrencies()
    }

    public func setReservedConcurrency(of functionName: String, to value: Int?, check: @Sendable (Int) throws -> Void) async throws {
        try await base.setReservedConcurrency(of: functionName, to: value, check: check)
    }

    public func provisionedConcurrencyConfigs(of functionName: String) async throws -> [ProvisionedConcurrencyConfig] {
        try await base.provisionedConcurrencyConfigs(of: functionName)
    }

    public func allProvisionedConcurrencyConfigs() async throws -> [ProvisionedConcurrencyConfig] {
        try await base.allProvisionedConcurrencyConfigs()
    }

    public func putProvisionedConcurrencyConfig(_ config: ProvisionedConcurrencyConfig) async throws {
        try await base.putProvisionedConcurrencyConfig(config)
    }

    public func deleteProvisionedConcurrencyConfig(of functionName: String, qualifier: String) async throws {
        try await base.deleteProvisionedConcurrencyConfig(of: functionName, qualifier: qualifier)
    }

    public func policy(of resource: String) async throws -> PolicyRecord? {
        let (hit, generation) = cache.withLock { ($0.policies[resource], $0.generation) }
        if let hit { return hit }
        let loaded = try await base.policy(of: resource)
        cache.withLock {
            if $0.generation == generation {
                if $0.policies.count >= 10_000 { $0.policies.removeAll(keepingCapacity: true) }
                $0.policies[resource] = .some(loaded)
            }
        }
        return loaded
    }

    public func updatePolicy(of resource: String, expectedRevision: String?,
                             _ change: @Sendable (PolicyDocument) throws -> PolicyDocument) async throws -> PolicyRecord? {
        update { $0.policies[resource] = nil }
        defer { update { $0.policies[resource] = nil } }
        return try await base.updatePolicy(of: resource, expectedRevision: expectedRevision, change)
    }

    // MARK: Asynchronous invocation: written once per event, read by the dispatcher

    public func enqueue(_ event: AsyncEvent) async throws { try await base.enqueue(event) }

    public func claimDueEvents(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [AsyncEvent] {
        try await base.claimDueEvents(now: now, leaseUntil: leaseUntil, limit: limit)
    }

    public func reschedule(_ id: String, attempts: Int, dueAt: Int64) async throws {
        try await base.reschedule(id, attempts: attempts, dueAt: dueAt)
    }

    public func finish(_ id: String) async throws { try await base.finish(id) }

    public func releaseLeases() async throws { try await base.releaseLeases() }

    public func nextDue() async throws -> Int64? { try await base.nextDue() }

    public func putEventInvokeConfig(_ config: EventInvokeConfig) async throws {
        let key = Self.key(config.functionName, config.qualifier)
        update { $0.eventInvokeConfigs[key] = nil }
        defer { update { $0.eventInvokeConfigs[key] = nil } }
        try await base.putEventInvokeConfig(config)
    }

    /// Read for every async event the dispatcher runs, so kept here (including "there is none").
    public func eventInvokeConfig(of functionName: String, qualifier: String) async throws -> EventInvokeConfig? {
        let key = Self.key(functionName, qualifier)
        let (hit, generation) = cache.withLock { ($0.eventInvokeConfigs[key], $0.generation) }
        if let hit { return hit }
        let loaded = try await base.eventInvokeConfig(of: functionName, qualifier: qualifier)
        cache.withLock { if $0.generation == generation { $0.eventInvokeConfigs[key] = .some(loaded) } }
        return loaded
    }

    public func eventInvokeConfigs(of functionName: String) async throws -> [EventInvokeConfig] {
        try await base.eventInvokeConfigs(of: functionName)
    }

    public func deleteEventInvokeConfig(of functionName: String, qualifier: String) async throws -> Bool {
        let key = Self.key(functionName, qualifier)
        defer { update { $0.eventInvokeConfigs[key] = nil } }
        return try await base.deleteEventInvokeConfig(of: functionName, qualifier: qualifier)
    }

    // MARK: Event source mappings: read by their pollers once per change

    public func putMapping(_ mapping: EventSourceMapping) async throws { try await base.putMapping(mapping) }

    public func mapping(_ uuid: String) async throws -> EventSourceMapping? { try await base.mapping(uuid) }

    public func mappings() async throws -> [EventSourceMapping] { try await base.mappings() }

    public func deleteMapping(_ uuid: String) async throws -> Bool { try await base.deleteMapping(uuid) }

    // MARK: Function URLs: every config in memory, looked up by the ingress for each request

    /// The index, read from the store the first time; a write racing the read makes it read again.
    private func functionURLIndex() async throws -> FunctionURLIndex {
        while true {
            let (index, generation) = cache.withLock { ($0.functionURLs, $0.generation) }
            if let index { return index }
            let loaded = FunctionURLIndex(try await base.allFunctionURLs())
            let kept = cache.withLock {
                guard $0.generation == generation else { return false }
                $0.functionURLs = loaded
                return true
            }
            if kept { return loaded }
        }
    }

    /// Applies a successful write to the index; after a failed one the index is read again (the outcome is unknown).
    private func writeFunctionURL<T>(_ write: () async throws -> T, then change: (inout FunctionURLIndex, T) -> Void) async throws -> T {
        do {
            let result = try await write()
            update { if $0.functionURLs != nil { change(&$0.functionURLs!, result) } }
            return result
        } catch {
            update { $0.functionURLs = nil }
            throw error
        }
    }

    public func createFunctionURL(_ config: FunctionURLConfig) async throws {
        try await writeFunctionURL({ try await base.createFunctionURL(config) }, then: { index, _ in index.put(config) })
    }

    public func replaceFunctionURL(_ config: FunctionURLConfig) async throws {
        try await writeFunctionURL({ try await base.replaceFunctionURL(config) }, then: { index, _ in index.put(config) })
    }

    public func deleteFunctionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig? {
        try await writeFunctionURL({ try await base.deleteFunctionURL(of: functionName, qualifier: qualifier) },
                                   then: { index, _ in index.remove(of: functionName, qualifier: qualifier) })
    }

    public func functionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig? {
        try await functionURLIndex().config(of: functionName, qualifier: qualifier)
    }

    public func functionURL(id: String) async throws -> FunctionURLConfig? {
        if let hit = cache.withLock({ $0.functionURLs.map { $0.config(id: id) } }) { return hit }
        return try await functionURLIndex().config(id: id)
    }

    public func functionURLs(of functionName: String) async throws -> [FunctionURLConfig] {
        try await functionURLIndex().configs(of: functionName)
    }

    public func allFunctionURLs() async throws -> [FunctionURLConfig] {
        try await functionURLIndex().all
    }
}
