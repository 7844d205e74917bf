import Catalog
import Foundation
import Invoker
import Logging
import Queues
import ServiceLifecycle
import Synchronization

/// What Create/UpdateEventSourceMapping take; nil means "not given".
public struct MappingInput: Sendable {
    public var functionName: String?
    public var eventSourceArn: String?
    public var enabled: Bool?
    public var batchSize: Int?
    public var maximumBatchingWindowInSeconds: Int?
    public var functionResponseTypes: [String]?
    public var maximumConcurrency: Int??
    /// FilterCriteria's patterns: nil not given, `.some(nil)` removed.
    public var filterPatterns: [String]??

    public init(functionName: String?, eventSourceArn: String?, enabled: Bool?, batchSize: Int?, maximumBatchingWindowInSeconds: Int?,
                functionResponseTypes: [String]?, maximumConcurrency: Int??, filterPatterns: [String]?? = nil) {
        self.functionName = functionName
        self.eventSourceArn = eventSourceArn
        self.enabled = enabled
        self.batchSize = batchSize
        self.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds
        self.functionResponseTypes = functionResponseTypes
        self.maximumConcurrency = maximumConcurrency
        self.filterPatterns = filterPatterns
    }
}

/// Event source mappings: their validation and storage, and one `MappingPoller` per enabled mapping for
/// as long as the server runs.
public final class MappingManager: Service, Sendable {
    let catalog: FunctionCatalog
    let invoker: Invoker
    let queues: QueueBroker
    let logger: Logger
    /// Pollers of a mapping without ScalingConfig.MaximumConcurrency.
    let defaultMaxWorkers: Int
    private let pollers = Mutex<[String: MappingPoller]>([:])
    /// In a cluster: where the mappings this node polls are leased (one node per mapping), and which it holds.
    private let placement = Mutex<(store: any WorkLeaseStore, node: String)?>(nil)
    private let held = Mutex<Set<String>?>(nil)
    /// How often a node renews and rebalances its mappings; a node that stops lets them go after `placementLease`.
    let placementInterval: Duration = .seconds(5)
    let placementLease: TimeInterval = 15
    static let workKind = "mapping"

    public init(catalog: FunctionCatalog, invoker: Invoker, queues: QueueBroker, logger: Logger, defaultMaxWorkers: Int = 5) {
        self.catalog = catalog
        self.invoker = invoker
        self.queues = queues
        self.logger = logger
        self.defaultMaxWorkers = defaultMaxWorkers
    }

    var store: any Store { catalog.store }

    /// Splits the mappings between the nodes of a cluster: this node polls only those it holds a lease on in `store`
    /// (its fair share, renewed every few seconds; a node's mappings move to others when it stops). Call before `run`.
    public func placeAcrossNodes(store: any WorkLeaseStore, node: String) {
        placement.withLock { $0 = (store, node) }
        held.withLock { $0 = [] }
    }

    public func run() async throws {
        for mapping in try await store.mappings() { reconcile(mapping) }
        if let (leases, node) = placement.withLock({ $0 }) {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await place()
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.placementInterval) }
            }
            try? await leases.releaseWork(kind: Self.workKind, node: node)
        } else {
            try? await gracefulShutdown()
        }
        let all = pollers.withLock { p in defer { p.removeAll() }; return Array(p.values) }
        for poller in all { poller.stop() }
    }

    /// Claims this node's share of the enabled mappings and polls exactly those.
    func place() async {
        guard let (leases, node) = placement.withLock({ $0 }) else { return }
        do {
            let mappings = try await store.mappings()
            let now = Date()
            let mine = try await leases.claimWork(kind: Self.workKind, items: Set(mappings.filter(\.enabled).map(\.uuid)), node: node,
                                                  now: now, until: now.addingTimeInterval(placementLease))
            held.withLock { $0 = mine }
            for mapping in mappings where mine.contains(mapping.uuid) != (pollers.withLock { $0[mapping.uuid] } != nil) {
                reconcile(mapping)
            }
        } catch {
            logger.warning("placing event source mappings failed", metadata: ["error": "\(error)"])
        }
    }

    /// Starts, restarts or stops the poller of `mapping` to match it (nil: deleted).
    func reconcile(_ mapping: EventSourceMapping?, uuid: String? = nil) {
        let id = mapping?.uuid ?? uuid ?? ""
        // In a cluster, only the mappings this node holds.
        let placed = held.withLock { $0.map { $0.contains(id) } ?? true }
        let fresh = mapping.flatMap { m -> MappingPoller? in
            guard m.enabled, placed else { return nil }
            guard let filter = try? EventFilter.parse(m.filterPatterns) else {
                // Stored patterns this server cannot read (never accepted by it): consume nothing rather than
                // deliver or drop what the filters were meant to decide.
                logger.error("event source mapping not started: its filter patterns do not parse", metadata: ["uuid": "\(m.uuid)"])
                return nil
            }
            return MappingPoller(mapping: m, filter: filter, catalog: catalog, invoker: invoker, queues: queues, logger: logger,
                                 maxWorkers: m.maximumConcurrency ?? defaultMaxWorkers)
        }
        let old = pollers.withLock { p in
            let old = p.removeValue(forKey: id)
            if let fresh { p[id] = fresh }
            return old
        }
        old?.stop()
        fresh?.start()
    }

    /// Matches the pollers to what the store holds now, after another node of a cluster created, changed or
    /// deleted the mapping `uuid` (nil: any mapping). A poller whose mapping did not change keeps running.
    public func refresh(_ uuid: String?) async throws {
        // In a cluster the mapping may now be this node's to poll, or no longer anybody's.
        if placement.withLock({ $0 }) != nil {
            await place()
            return
        }
        let stored: [EventSourceMapping]
        var gone: [String] = []
        if let uuid {
            stored = try await store.mapping(uuid).map { [$0] } ?? []
            if stored.isEmpty { gone = [uuid] }
        } else {
            stored = try await store.mappings()
            let ids = Set(stored.map(\.uuid))
            gone = pollers.withLock { Array($0.keys) }.filter { !ids.contains($0) }
        }
        for id in gone { reconcile(nil, uuid: id) }
        for mapping in stored where pollers.withLock({ $0[mapping.uuid]?.mapping }) != mapping {
            // Disabled mappings have no poller: reconciling one that stays disabled stops nothing.
            reconcile(mapping)
        }
    }

    // MARK: Operations

    public func arn(_ uuid: String) -> String {
        "arn:aws:lambda:\(catalog.arns.region):\(catalog.arns.accountId):event-source-mapping:\(uuid)"
    }

    func validate(batchSize: Int, window: Int, responseTypes: [String], maximumConcurrency: Int?, fifo: Bool) throws {
        try FieldValidator.range(batchSize, 1...10_000, field: "batchSize")
        try FieldValidator.range(window, 0...300, field: "maximumBatchingWindowInSeconds")
        if fifo && window > 0 {
            throw LambdaError.invalidParameter("Batching window is not supported for FIFO queues")
        }
        if fifo && batchSize > 10 {
            throw LambdaError.invalidParameter("BatchSize for FIFO queues must be between 1 and 10: \(batchSize)")
        }
        if batchSize > 10 && window == 0 {
            throw LambdaError.invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        }
        for type in responseTypes { try FieldValidator.oneOf(type, ["ReportBatchItemFailures"], field: "functionResponseTypes.member") }
        if let c = maximumConcurrency { try FieldValidator.range(c, 2...1000, field: "scalingConfig.maximumConcurrency") }
    }

    /// What the execution role must allow on the queue for Lambda to poll it.
    static let pollingActions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]

    /// A batch must not become visible again while the function may still be working on it.
    func checkVisibility(_ queue: QueueDefinition, function: String, qualifier: String?) async throws {
        let (definition, _) = try await catalog.resolve(function, qualifier: qualifier)
        if queue.attributes.visibilityTimeout < definition.timeout {
            throw LambdaError.invalidParameter(
                "Queue visibility timeout: \(queue.attributes.visibilityTimeout) seconds is less than Function timeout: \(definition.timeout) seconds")
        }
    }

    /// The function (and qualifier) a mapping invokes; it must exist.
    func function(_ name: String) async throws -> (String, String?) {
        let (definition, qualifier) = try await catalog.resolve(name)
        return (definition.name, qualifier)
    }

    /// The queue a mapping reads, while it exists.
    func source(of mapping: EventSourceMapping) async throws -> QueueDefinition? {
        guard let name = queues.addressing.name(fromARN: mapping.eventSourceArn) else { return nil }
        return try await queues.store.queue(named: name)
    }

    /// CreateEventSourceMapping.
    public func create(_ input: MappingInput) async throws -> EventSourceMapping {
        guard let functionName = input.functionName else { throw LambdaError.invalidParameter("FunctionName is a required parameter.") }
        guard let source = input.eventSourceArn, !source.isEmpty else {
            throw LambdaError.invalidParameter("Unrecognized event source, must be one of the supported event sources (SQS queues of this server).")
        }
        guard let queueName = queues.addressing.name(fromARN: source) else {
            throw LambdaError.invalidParameter("Unrecognized event source, must be one of the supported event sources (SQS queues of this server): \(source)")
        }
        guard let queue = try await queues.store.queue(named: queueName) else {
            throw LambdaError.invalidParameter("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
        }
        let batchSize = input.batchSize ?? 10
        let window = input.maximumBatchingWindowInSeconds ?? 0
        let types = input.functionResponseTypes ?? []
        let concurrency = input.maximumConcurrency ?? nil
        let filters = input.filterPatterns ?? nil
        try validate(batchSize: batchSize, window: window, responseTypes: types, maximumConcurrency: concurrency, fifo: queue.isFifo)
        _ = try EventFilter.parse(filters)
        let (function, qualifier) = try await self.function(functionName)
        try await checkVisibility(queue, function: function, qualifier: qualifier)
        // Lambda polls with the function's role: it must be allowed to read the queue.
        try await catalog.requireRolePermits(try await catalog.resolve(function, qualifier: qualifier).0,
                                             actions: Self.pollingActions, on: source, service: "SQS")
        if let existing = try await store.mappings().first(where: { $0.eventSourceArn == source && $0.functionName == function && $0.qualifier == qualifier }) {
            throw LambdaError.resourceConflict(
                "An event source mapping with SQS arn (\" \(source) \") and function (\" \(function) \") already exists. Please update or delete the existing mapping with UUID \(existing.uuid)")
        }
        let mapping = EventSourceMapping(
            uuid: UUID().uuidString.lowercased(), functionName: function, qualifier: qualifier, eventSourceArn: source,
            batchSize: batchSize, maximumBatchingWindowInSeconds: window, enabled: input.enabled ?? true,
            functionResponseTypes: types, maximumConcurrency: concurrency, filterPatterns: filters, lastModified: Date())
        try await store.putMapping(mapping)
        reconcile(mapping)
        logger.info("event source mapping created", metadata: ["uuid": "\(mapping.uuid)", "function": "\(function)", "source": "\(source)"])
        return mapping
    }

    public func mapping(_ uuid: String) async throws -> EventSourceMapping {
        guard let mapping = try await store.mapping(uuid) else {
            throw LambdaError.resourceNotFound("The resource you requested does not exist.")
        }
        return mapping
    }

    /// UpdateEventSourceMapping.
    public func update(_ uuid: String, _ input: MappingInput) async throws -> EventSourceMapping {
        var mapping = try await self.mapping(uuid)
        if let name = input.functionName { (mapping.functionName, mapping.qualifier) = try await function(name) }
        if let v = input.enabled { mapping.enabled = v }
        if let v = input.batchSize { mapping.batchSize = v }
        if let v = input.maximumBatchingWindowInSeconds { mapping.maximumBatchingWindowInSeconds = v }
        if let v = input.functionResponseTypes { mapping.functionResponseTypes = v }
        if let v = input.maximumConcurrency { mapping.maximumConcurrency = v }
        if let v = input.filterPatterns { mapping.filterPatterns = try EventFilter.parse(v).isEmpty ? nil : v }
        try validate(batchSize: mapping.batchSize, window: mapping.maximumBatchingWindowInSeconds,
                     responseTypes: mapping.functionResponseTypes, maximumConcurrency: mapping.maximumConcurrency,
                     fifo: try await source(of: mapping)?.isFifo ?? false)
        mapping.lastModified = Date()
        try await store.putMapping(mapping)
        reconcile(mapping)
        return mapping
    }

    /// DeleteEventSourceMapping: returns the mapping as it was.
    public func delete(_ uuid: String) async throws -> EventSourceMapping {
        let mapping = try await self.mapping(uuid)
        _ = try await store.deleteMapping(uuid)
        reconcile(nil, uuid: uuid)
        return mapping
    }

    /// ListEventSourceMappings, optionally by function and/or source.
    public func list(functionName: String?, eventSourceArn: String?) async throws -> [EventSourceMapping] {
        var all = try await store.mappings()
        if let functionName, !functionName.isEmpty {
            let id = try FunctionIdentifier.parse(functionName)
            all = all.filter { $0.functionName == id.name && (id.qualifier == nil || $0.qualifier == id.qualifier) }
        }
        if let eventSourceArn, !eventSourceArn.isEmpty { all = all.filter { $0.eventSourceArn == eventSourceArn } }
        return all
    }
}
