import AWSProtocol
import Catalog

extension LambdaService {
    func eventInvokeConfigShape(_ c: EventInvokeConfig) -> FunctionEventInvokeConfig {
        let destinations = (c.onSuccess == nil && c.onFailure == nil) ? nil : DestinationConfig(
            OnSuccess: DestinationTarget(Destination: c.onSuccess), OnFailure: DestinationTarget(Destination: c.onFailure))
        return FunctionEventInvokeConfig(
            LastModified: c.lastModified.timeIntervalSince1970,
            FunctionArn: catalog.arns.function(c.functionName, qualifier: c.qualifier),
            MaximumRetryAttempts: c.maximumRetryAttempts, MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds,
            DestinationConfig: destinations)
    }

    func eventInvokeInput(_ request: APIRequest) throws -> EventInvokeConfigInput {
        let body = try decode(EventInvokeConfigRequest.self, from: request)
        return EventInvokeConfigInput(
            maximumRetryAttempts: body.MaximumRetryAttempts, maximumEventAgeInSeconds: body.MaximumEventAgeInSeconds,
            destinations: body.DestinationConfig.map { ($0.OnSuccess?.Destination, $0.OnFailure?.Destination) })
    }

    /// `PUT /2019-09-25/functions/{name}/event-invoke-config`.
    func putEventInvokeConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        let config = try await catalog.putEventInvokeConfig(name, qualifier: qualifier(request), input: try eventInvokeInput(request))
        return try .json(eventInvokeConfigShape(config))
    }

    /// `POST /2019-09-25/functions/{name}/event-invoke-config`.
    func updateEventInvokeConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        let config = try await catalog.updateEventInvokeConfig(name, qualifier: qualifier(request), input: try eventInvokeInput(request))
        return try .json(eventInvokeConfigShape(config))
    }

    /// `GET /2019-09-25/functions/{name}/event-invoke-config`.
    func getEventInvokeConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        try .json(eventInvokeConfigShape(try await catalog.eventInvokeConfig(name, qualifier: qualifier(request))))
    }

    /// `DELETE /2019-09-25/functions/{name}/event-invoke-config` → 204.
    func deleteEventInvokeConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        try await catalog.deleteEventInvokeConfig(name, qualifier: qualifier(request))
        return .empty(status: 204)
    }

    /// `GET /2019-09-25/functions/{name}/event-invoke-config/list`.
    func listEventInvokeConfigs(_ request: APIRequest, name: String) async throws -> APIResponse {
        let configs = try await catalog.eventInvokeConfigs(name)
        let (page, next) = try paginate(configs, request: request, key: { $0.qualifier })
        return try .json(ListFunctionEventInvokeConfigsResponse(FunctionEventInvokeConfigs: page.map(eventInvokeConfigShape), NextMarker: next))
    }
}
