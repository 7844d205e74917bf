import AWSProtocol
import CloudWatchAPI
import Identity

/// CloudWatch (signing name `monitoring`), hosted twice: in smithy RPC v2 CBOR (`POST /service/
/// GraniteServiceVersion20100801/operation/<Op>`, botocore's default; errors in CBOR with `x-amzn-query-error`)
/// in JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`) and in the query protocol (`POST /` signed for
/// `monitoring`; `<ErrorResponse>` errors).
extension CloudWatchService: HostedService {
    public var signingName: String { CloudWatchService.monitoringSigningName }

    public var errorProtocol: ErrorProtocol {
        switch wire {
        case .cbor: .rpcV2CBOR(queryCompatible: true)
        case .json: .json(version: "1.0")
        case .query: .query(namespace: CloudWatchService.queryNamespace)
        }
    }

    public func claims(_ route: RouteHints) -> Bool {
        switch wire {
        case .cbor: route.method == "POST" && route.pathSegments.count == 4 && route.pathSegments[0] == "service"
            && route.pathSegments[1] == CloudWatchService.serviceName && route.pathSegments[2] == "operation"
        case .json: route.target?.hasPrefix(CloudWatchService.targetPrefix) == true
        case .query: route.target == nil && route.pathSegments.isEmpty && route.signingService == CloudWatchService.monitoringSigningName
        }
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}
