import AWSProtocol
import Events

extension EventsService {
    func createEventBus(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(CreateEventBusRequest.self, from: request)
        if input.EventSourceName != nil {
            throw EventsError.validation("Partner event sources are not supported by this platform.")
        }
        let bus = try await bridge.createBus(name: input.Name, description: input.Description, tags: Tag.map(input.Tags))
        return try json(CreateEventBusResponse(EventBusArn: bridge.arns.bus(bus.name), Description: bus.description))
    }

    func describeEventBus(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(EventBusNameRequest.self, from: request)
        let bus = try bridge.bus(input.Name)
        return try json(DescribeEventBusResponse(Name: bus.name, Arn: bridge.arns.bus(bus.name), Description: bus.description,
                                                 Policy: bus.policy, CreationTime: bus.creationTime, LastModifiedTime: bus.lastModifiedTime))
    }

    func listEventBuses(_ request: APIRequest) throws -> APIResponse {
        let input = try decode(ListEventBusesRequest.self, from: request)
        let page = try Self.page(bridge.buses(prefix: input.NamePrefix), token: input.NextToken, limit: input.Limit)
        return try json(ListEventBusesResponse(
            EventBuses: page.items.map { EventBusShape(Name: $0.name, Arn: bridge.arns.bus($0.name), Description: $0.description,
                                                       Policy: $0.policy, CreationTime: $0.creationTime, LastModifiedTime: $0.lastModifiedTime) },
            NextToken: page.next))
    }

    func deleteEventBus(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(EventBusNameRequest.self, from: request)
        guard let name = input.Name else {
            throw EventsError.validation("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
        }
        try await bridge.deleteBus(name: name)
        return empty()
    }

    func putPermission(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(PutPermissionRequest.self, from: request)
        try await bridge.putPermission(busName: input.EventBusName, action: input.Action, principal: input.Principal,
                                       statementId: input.StatementId,
                                       condition: input.Condition.map { ($0.Type, $0.Key, $0.Value) }, policy: input.Policy)
        return empty()
    }

    func removePermission(_ request: APIRequest) async throws -> APIResponse {
        let input = try decode(RemovePermissionRequest.self, from: request)
        try await bridge.removePermission(busName: input.EventBusName, statementId: input.StatementId,
                                          removeAll: input.RemoveAllPermissions ?? false)
        return empty()
    }
}
