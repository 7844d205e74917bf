import AWSProtocol
import Identity
import SchedulerAPI

/// EventBridge Scheduler (`/schedules…`, `/schedule-groups…`, `/tags/arn:aws:scheduler:…`, no `X-Amz-Target`):
/// REST-JSON errors (`x-amzn-ErrorType` + `Message`), as botocore's rest-json parser reads them for `scheduler`.
extension SchedulerService: HostedService {
    public var signingName: String { SchedulerService.schedulerSigningName }
    public var errorProtocol: ErrorProtocol { .restJSON }

    public func claims(_ route: RouteHints) -> Bool {
        route.target == nil && SchedulerRoute.claims(route.pathSegments)
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}
