import AWSProtocol
import Catalog
import Invoker

extension LambdaService {
    /// `PUT /2017-10-31/functions/{name}/concurrency`.
    func putFunctionConcurrency(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(Concurrency.self, from: request)
        let (function, value) = try await catalog.putReservedConcurrency(name, value: body.ReservedConcurrentExecutions)
        invoker?.setReservedConcurrency(function, to: value, unreserved: try await catalog.unreservedConcurrency())
        return try .json(Concurrency(ReservedConcurrentExecutions: value))
    }

    /// `GET /2019-09-30/functions/{name}/concurrency`: `{}` when nothing is reserved.
    func getFunctionConcurrency(_ request: APIRequest, name: String) async throws -> APIResponse {
        try .json(Concurrency(ReservedConcurrentExecutions: try await catalog.reservedConcurrency(name)))
    }

    /// `DELETE /2017-10-31/functions/{name}/concurrency` → 204.
    func deleteFunctionConcurrency(_ request: APIRequest, name: String) async throws -> APIResponse {
        let function = try await catalog.deleteReservedConcurrency(name)
        invoker?.setReservedConcurrency(function, to: nil, unreserved: try await catalog.unreservedConcurrency())
        return .empty(status: 204)
    }

    /// `PUT /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=` → 202; environments start in the background.
    func putProvisionedConcurrency(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(PutProvisionedConcurrencyConfigRequest.self, from: request)
        let (config, target) = try await catalog.putProvisionedConcurrency(name, qualifier: qualifier(request),
                                                                           count: body.ProvisionedConcurrentExecutions)
        invoker?.provision(target)
        return try .json(await provisionedResponse(config), status: 202)
    }

    /// `GET /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=`.
    func getProvisionedConcurrency(_ request: APIRequest, name: String) async throws -> APIResponse {
        let config = try await catalog.provisionedConcurrency(name, qualifier: qualifier(request))
        return try .json(await provisionedResponse(config))
    }

    /// `GET /2019-09-30/functions/{name}/provisioned-concurrency?List=ALL`.
    func listProvisionedConcurrency(_ request: APIRequest, name: String) async throws -> APIResponse {
        let configs = try await catalog.provisionedConcurrencyConfigs(name)
        var items: [ProvisionedConcurrencyConfigListItem] = []
        for config in configs {
            items.append(ProvisionedConcurrencyConfigListItem(
                FunctionArn: catalog.arns.function(config.functionName, qualifier: config.qualifier), await provisionedResponse(config)))
        }
        return try .json(ListProvisionedConcurrencyConfigsResponse(ProvisionedConcurrencyConfigs: items, NextMarker: nil))
    }

    /// `DELETE /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=` → 204.
    func deleteProvisionedConcurrency(_ request: APIRequest, name: String) async throws -> APIResponse {
        let (function, qualifier) = try await catalog.deleteProvisionedConcurrency(name, qualifier: qualifier(request))
        invoker?.unprovision(functionName: function, qualifier: qualifier)
        return .empty(status: 204)
    }

    func provisionedResponse(_ config: ProvisionedConcurrencyConfig) async -> ProvisionedConcurrencyConfigResponse {
        let status = await invoker?.provisionedStatus(functionName: config.functionName, qualifier: config.qualifier,
                                                      requested: config.requested)
            ?? ProvisionedConcurrencyStatus(phase: .inProgress, allocated: 0, available: 0)
        return ProvisionedConcurrencyConfigResponse(
            RequestedProvisionedConcurrentExecutions: config.requested,
            AvailableProvisionedConcurrentExecutions: status.available,
            AllocatedProvisionedConcurrentExecutions: status.allocated,
            Status: status.phase.rawValue, StatusReason: status.reason,
            LastModified: AWSTimestamp.lambdaString(config.lastModified))
    }

    /// After an alias moved: its provisioned environments follow it to the versions it now routes to.
    func reprovision(functionName: String, qualifier: String) async {
        guard let invoker, let config = try? await catalog.provisionedConcurrency(functionName, qualifier: qualifier),
              let target = try? await catalog.provisionedTarget(functionName: functionName, qualifier: qualifier, count: config.requested)
        else { return }
        invoker.provision(target)
    }
}
