import AWSProtocol
import Identity
import LogsAPI

/// CloudWatch Logs (`X-Amz-Target: Logs_20140328.*`): JSON 1.1 errors (`__type` + `message`).
extension LogsService: HostedService {
    public var signingName: String { LogsService.logsSigningName }
    public var errorProtocol: ErrorProtocol { .json(version: "1.1") }

    public func claims(_ route: RouteHints) -> Bool {
        route.target?.hasPrefix(LogsService.targetPrefix) == true
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}
