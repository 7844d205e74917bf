import AWSProtocol
import Catalog
import EventSourceMappings

extension LambdaService {
    func requireMappings() throws -> MappingManager {
        guard let mappings else { throw LambdaError.service("This server cannot run functions.") }
        return mappings
    }

    func mappingShape(_ m: EventSourceMapping, state: String? = nil) throws -> EventSourceMappingConfiguration {
        EventSourceMappingConfiguration(
            UUID: m.uuid, BatchSize: m.batchSize, MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
            EventSourceArn: m.eventSourceArn, FunctionArn: catalog.arns.function(m.functionName, qualifier: m.qualifier),
            LastModified: m.lastModified.timeIntervalSince1970, State: state ?? (m.enabled ? "Enabled" : "Disabled"),
            StateTransitionReason: "USER_INITIATED", FunctionResponseTypes: m.functionResponseTypes,
            ScalingConfig: m.maximumConcurrency.map { ScalingConfig(MaximumConcurrency: $0) },
            FilterCriteria: m.filterPatterns.map { FilterCriteria(Filters: $0.map { Filter(Pattern: $0) }) },
            EventSourceMappingArn: try requireMappings().arn(m.uuid))
    }

    func mappingInput(_ request: APIRequest) throws -> MappingInput {
        let body = try decode(EventSourceMappingRequest.self, from: request)
        if let position = body.StartingPosition {
            throw LambdaError.invalidParameter("StartingPosition is not valid for SQS event sources: \(position)")
        }
        if let setting = body.streamOnlySettings.first {
            throw LambdaError.invalidParameter("Unsupported \(setting) parameter for given event source mapping type.")
        }
        // FilterCriteria without filters removes them.
        var filters: [String]?? = nil
        if let criteria = body.FilterCriteria {
            let patterns = try (criteria.Filters ?? []).map { filter in
                guard let pattern = filter.Pattern else {
                    throw LambdaError.invalidParameter("Invalid filter pattern definition. A filter must have a Pattern.")
                }
                return pattern
            }
            filters = .some(patterns.isEmpty ? nil : patterns)
        }
        return MappingInput(functionName: body.FunctionName, eventSourceArn: body.EventSourceArn, enabled: body.Enabled,
                            batchSize: body.BatchSize, maximumBatchingWindowInSeconds: body.MaximumBatchingWindowInSeconds,
                            functionResponseTypes: body.FunctionResponseTypes,
                            maximumConcurrency: body.ScalingConfig.map { $0.MaximumConcurrency }, filterPatterns: filters)
    }

    /// `POST /2015-03-31/event-source-mappings` → 202.
    func createEventSourceMapping(_ request: APIRequest) async throws -> APIResponse {
        let mapping = try await requireMappings().create(try mappingInput(request))
        return try .json(try mappingShape(mapping, state: "Creating"), status: 202)
    }

    /// `GET /2015-03-31/event-source-mappings/{uuid}`.
    func getEventSourceMapping(_ request: APIRequest, uuid: String) async throws -> APIResponse {
        try .json(try mappingShape(try await requireMappings().mapping(uuid)))
    }

    /// `PUT /2015-03-31/event-source-mappings/{uuid}` → 202.
    func updateEventSourceMapping(_ request: APIRequest, uuid: String) async throws -> APIResponse {
        let mapping = try await requireMappings().update(uuid, try mappingInput(request))
        return try .json(try mappingShape(mapping, state: "Updating"), status: 202)
    }

    /// `DELETE /2015-03-31/event-source-mappings/{uuid}` → 202.
    func deleteEventSourceMapping(_ request: APIRequest, uuid: String) async throws -> APIResponse {
        let mapping = try await requireMappings().delete(uuid)
        return try .json(try mappingShape(mapping, state: "Deleting"), status: 202)
    }

    /// `GET /2015-03-31/event-source-mappings?FunctionName=&EventSourceArn=`.
    func listEventSourceMappings(_ request: APIRequest) async throws -> APIResponse {
        let all = try await requireMappings().list(functionName: request.queryValue("FunctionName"),
                                                   eventSourceArn: request.queryValue("EventSourceArn"))
        let (page, next) = try paginate(all, request: request, key: { $0.uuid })
        return try .json(ListEventSourceMappingsResponse(EventSourceMappings: try page.map { try mappingShape($0) }, NextMarker: next))
    }
}
