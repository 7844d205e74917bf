import Foundation

extension FunctionCatalog {
    /// The account's unreserved pool: its limit less every reservation.
    public func unreservedConcurrency() async throws -> Int {
        let reserved = try await store.reservedConcurrencies().values.reduce(0, +)
        return limits.concurrentExecutions - reserved
    }

    /// The unqualified function a concurrency operation names.
    func concurrencyFunction(_ functionName: String) async throws -> FunctionDefinition {
        let (id, qualifier) = try identify(functionName, qualifier: nil)
        if qualifier != nil {
            throw LambdaError.invalidParameter("Unqualified function name expected: \(functionName)")
        }
        guard let function = try await store.function(named: id.name) else {
            throw LambdaError.functionNotFound(arns.function(id.name))
        }
        return function
    }

    /// PutFunctionConcurrency: 0 stops every invocation; the unreserved pool keeps its minimum.
    public func putReservedConcurrency(_ functionName: String, value: Int?) async throws -> (name: String, value: Int) {
        guard let value else {
            throw LambdaError.invalidParameter("ReservedConcurrentExecutions is a required parameter.")
        }
        try FieldValidator.range(value, 0...Int(Int32.max), field: "reservedConcurrentExecutions")
        let function = try await concurrencyFunction(functionName)
        let provisioned = try await store.provisionedConcurrencyConfigs(of: function.name).reduce(0) { $0 + $1.requested }
        if value < provisioned {
            throw LambdaError.invalidParameter(
                "ReservedConcurrentExecutions \(value) should not be lower than function's total provisioned concurrency [\(provisioned)].")
        }
        let limits = self.limits
        do {
            try await store.setReservedConcurrency(of: function.name, to: value) { others in
                if limits.concurrentExecutions - others - value < limits.minimumUnreservedConcurrency {
                    throw LambdaError.invalidParameter(
                        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [\(limits.minimumUnreservedConcurrency)].")
                }
            }
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(function.name))
        }
        logger.info("reserved concurrency set", metadata: ["function": "\(function.name)", "reserved": "\(value)"])
        return (function.name, value)
    }

    /// GetFunctionConcurrency: nil when nothing is reserved.
    public func reservedConcurrency(_ functionName: String) async throws -> Int? {
        let function = try await concurrencyFunction(functionName)
        return try await store.reservedConcurrency(of: function.name)
    }

    /// DeleteFunctionConcurrency.
    public func deleteReservedConcurrency(_ functionName: String) async throws -> String {
        let function = try await concurrencyFunction(functionName)
        do {
            try await store.setReservedConcurrency(of: function.name, to: nil) { _ in }
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(function.name))
        }
        return function.name
    }

    /// What a provisioned configuration covers: the versions its qualifier routes to, with their shares.
    public struct ProvisionedTarget: Sendable {
        public var functionName: String
        public var qualifier: String
        /// Each version's definition and how many environments it gets.
        public var allocations: [(definition: FunctionDefinition, count: Int)]
    }

    /// Resolves the qualifier of a provisioned configuration and splits `count` across the versions an alias routes to.
    public func provisionedTarget(functionName: String, qualifier: String, count: Int) async throws -> ProvisionedTarget {
        let notFound = LambdaError.functionNotFound(arns.function(functionName, qualifier: qualifier))
        switch try await target(of: functionName, qualifier: qualifier) {
        case .latest:
            throw LambdaError.invalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
        case .version(let number):
            guard let version = try await store.version(number, of: functionName) else { throw notFound }
            return ProvisionedTarget(functionName: functionName, qualifier: qualifier, allocations: [(version, count)])
        case .alias(let alias):
            if alias.functionVersion == "$LATEST" {
                throw LambdaError.invalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
            }
            var allocations: [(FunctionDefinition, Int)] = []
            var remaining = count
            for (version, weight) in alias.additionalVersionWeights.sorted(by: { $0.key < $1.key }) {
                let share = Int((Double(count) * weight).rounded())
                allocations.append((try await definition(of: version, function: functionName, notFound: notFound), share))
                remaining -= share
            }
            allocations.insert((try await definition(of: alias.functionVersion, function: functionName, notFound: notFound), max(0, remaining)), at: 0)
            return ProvisionedTarget(functionName: functionName, qualifier: qualifier, allocations: allocations.filter { $0.1 > 0 })
        }
    }

    /// PutProvisionedConcurrencyConfig: stored, then the invoker brings the environments up.
    public func putProvisionedConcurrency(_ functionName: String, qualifier: String?, count: Int?) async throws
        -> (ProvisionedConcurrencyConfig, ProvisionedTarget) {
        guard let count else {
            throw LambdaError.invalidParameter("ProvisionedConcurrentExecutions is a required parameter.")
        }
        try FieldValidator.range(count, 1...Int(Int32.max), field: "provisionedConcurrentExecutions")
        let function = try await concurrencyFunction(functionName)
        let qualifier = try requireQualifier(qualifier)
        let target = try await provisionedTarget(functionName: function.name, qualifier: qualifier, count: count)
        // As on AWS, SnapStart and provisioned concurrency exclude each other.
        if let snapStart = target.allocations.first(where: { $0.definition.snapStart != nil }) {
            throw LambdaError.invalidParameter(
                "Provisioned Concurrency is not supported for SnapStart enabled function versions: version \(snapStart.definition.version) has SnapStart.ApplyOn PublishedVersions.")
        }
        let existing = try await store.provisionedConcurrencyConfigs(of: function.name).filter { $0.qualifier != qualifier }
        let others = existing.reduce(0) { $0 + $1.requested }
        let versions = Set(target.allocations.map(\.definition.version))
        for config in existing {
            let covered = try await provisionedTarget(functionName: function.name, qualifier: config.qualifier, count: config.requested)
            if !versions.isDisjoint(with: covered.allocations.map(\.definition.version)) {
                throw LambdaError.resourceConflict(
                    "Alias and version cannot both have Provisioned Concurrency Config: \(config.qualifier) already covers a version that \(qualifier) routes to.")
            }
        }
        if let reserved = try await store.reservedConcurrency(of: function.name) {
            if others + count > reserved {
                throw LambdaError.invalidParameter(
                    "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function: \(reserved)")
            }
        } else if others + count > (try await unreservedConcurrency()) - limits.minimumUnreservedConcurrency {
            throw LambdaError.invalidParameter(
                "Requested Provisioned Concurrency \(count) exceeds the account's unreserved concurrency less its minimum of \(limits.minimumUnreservedConcurrency).")
        }
        let config = ProvisionedConcurrencyConfig(functionName: function.name, qualifier: qualifier, requested: count, lastModified: now())
        do {
            try await store.putProvisionedConcurrencyConfig(config)
        } catch StoreError.notFound {
            throw LambdaError.functionNotFound(arns.function(function.name))
        }
        logger.info("provisioned concurrency set", metadata: ["function": "\(function.name)", "qualifier": "\(qualifier)", "count": "\(count)"])
        return (config, target)
    }

    func requireQualifier(_ qualifier: String?) throws -> String {
        guard let qualifier, !qualifier.isEmpty else {
            throw LambdaError.invalidParameter("Qualifier is a required parameter.")
        }
        if qualifier == "$LATEST" {
            throw LambdaError.invalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
        }
        if !FunctionIdentifier.isValidQualifier(qualifier) {
            throw LambdaError.validation(field: "qualifier", value: qualifier, constraint: "Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)")
        }
        return qualifier
    }

    /// GetProvisionedConcurrencyConfig.
    public func provisionedConcurrency(_ functionName: String, qualifier: String?) async throws -> ProvisionedConcurrencyConfig {
        let function = try await concurrencyFunction(functionName)
        let qualifier = try requireQualifier(qualifier)
        guard let config = try await store.provisionedConcurrencyConfigs(of: function.name).first(where: { $0.qualifier == qualifier }) else {
            _ = try await resolve(function.name, qualifier: qualifier)
            throw LambdaError.provisionedConcurrencyConfigNotFound("No Provisioned Concurrency Config found for this function")
        }
        return config
    }

    /// ListProvisionedConcurrencyConfigs.
    public func provisionedConcurrencyConfigs(_ functionName: String) async throws -> [ProvisionedConcurrencyConfig] {
        let function = try await concurrencyFunction(functionName)
        return try await store.provisionedConcurrencyConfigs(of: function.name)
    }

    /// DeleteProvisionedConcurrencyConfig.
    public func deleteProvisionedConcurrency(_ functionName: String, qualifier: String?) async throws -> (String, String) {
        let function = try await concurrencyFunction(functionName)
        let qualifier = try requireQualifier(qualifier)
        // Like Lambda, deleting a configuration that does not exist succeeds.
        _ = try? await store.deleteProvisionedConcurrencyConfig(of: function.name, qualifier: qualifier)
        return (function.name, qualifier)
    }
}
