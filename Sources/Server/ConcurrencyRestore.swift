import Catalog
import Invoker
import Logging

/// Hands the invoker what the store holds about concurrency when the server starts: every reservation,
/// and every provisioned configuration (whose environments are initialised again).
enum ConcurrencyRestore {
    /// `provisioned` false: the provisioned configurations are left to the cluster's placement.
    static func run(catalog: FunctionCatalog, invoker: Invoker, provisioned: Bool = true, logger: Logger) async throws {
        let unreserved = try await catalog.unreservedConcurrency()
        for (function, value) in try await catalog.store.reservedConcurrencies() {
            invoker.setReservedConcurrency(function, to: value, unreserved: unreserved)
        }
        guard provisioned else { return }
        for config in try await catalog.store.allProvisionedConcurrencyConfigs() {
            do {
                invoker.provision(try await catalog.provisionedTarget(
                    functionName: config.functionName, qualifier: config.qualifier, count: config.requested))
            } catch {
                logger.warning("provisioned concurrency not restored", metadata: [
                    "function": "\(config.functionName)", "qualifier": "\(config.qualifier)", "error": "\(error)"])
            }
        }
    }
}
