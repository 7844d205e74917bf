import Catalog
import CloudWatchLogs
import EventSourceMappings
import HTTPAPIs
import HTTPIngress
import Identity
import Invoker

/// What the Lambda side of a node reloads after another node's change (the second-stage services register theirs
/// in their wirings): the catalog's cache by function, reserved concurrency in the invoker, function URLs and HTTP
/// APIs on the ingress, IAM, log filters and event source mapping pollers.
enum ChangeReloads {
    struct Parts {
        let cache: CachingStore
        let catalog: FunctionCatalog
        let invoker: Invoker
        let identity: IAMDirectory
        let logs: LogsDirectory
        let ingress: HTTPIngress
        let httpAPIs: HTTPAPIDirectory
        let mappings: MappingManager
    }

    static func register(on changes: ChangeHandlers, _ parts: Parts) {
        let cache = parts.cache
        // Keyed by function name: that function's entries; without a key, every function's.
        // At once, where the change arrives: the next invoke reads the function's definition.
        changes.immediately("function", "tags", "version", "alias", "event-invoke-config", "policy", "provisioned-concurrency",
                            "concurrency", "function-url") { name in
            if let name { cache.invalidate(function: name) } else { cache.invalidateAll() }
        }
        // A layer's policy is read through the cache of policies, which is not keyed by layer.
        changes.immediately("layer-policy") { _ in cache.invalidateAll() }
        changes.on("concurrency") { name in
            let reserved = try await parts.catalog.store.reservedConcurrencies()
            let unreserved = try await parts.catalog.unreservedConcurrency()
            // Every function: also those whose reservation was removed meanwhile.
            for function in name.map({ [$0] }) ?? Array(Set(reserved.keys).union(parts.invoker.reservedConcurrencyFunctions)) {
                parts.invoker.setReservedConcurrency(function, to: reserved[function], unreserved: unreserved)
            }
        }
        // This node's share of provisioned concurrency: a configuration, or the versions an alias routes to, changed.
        changes.on("provisioned-concurrency", "alias") { _ in parts.invoker.provisionedConfigurationsChanged() }
        changes.on("function-url") { _ in
            let ids = try await parts.catalog.allFunctionURLs().map(\.urlId)
            try await parts.ingress.synchronize(kind: .functionURL, ids: Set(ids))
        }
        changes.on("http-api") { apiId in
            parts.httpAPIs.invalidate(apiId)
            try await parts.ingress.synchronize(kind: .httpAPI, ids: Set(try await parts.httpAPIs.allAPIIds()))
        }
        changes.on("iam") { _ in try await parts.identity.load() }
        changes.on("metric-filter") { _ in try await parts.logs.loadMetricFilters() }
        changes.on("subscription-filter") { _ in try await parts.logs.loadSubscriptionFilters() }
        changes.on("mapping") { uuid in try await parts.mappings.refresh(uuid) }
    }
}
