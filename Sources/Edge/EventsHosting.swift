import AWSProtocol
import EventsAPI
import Identity

/// EventBridge (`X-Amz-Target: AWSEvents.*`, signing name `events`): JSON 1.1 errors (`__type` + `message`).
extension EventsService: HostedService {
    public var signingName: String { EventsService.eventsSigningName }
    public var errorProtocol: ErrorProtocol { .json(version: "1.1") }

    public func claims(_ route: RouteHints) -> Bool {
        route.target?.hasPrefix(EventsService.targetPrefix) == true
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}
