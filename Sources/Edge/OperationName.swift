import Auth
import LambdaAPI
import SchedulerAPI

/// The operation a request asks for, as the request metrics label it: the AWS operation name where the edge can tell
/// it cheaply (Lambda's route, the JSON protocols' `X-Amz-Target`, the query protocols' `Action`), else `unknown`.
enum OperationName {
    /// The operation of a request to `service` (nil: no service claimed it).
    static func of(_ route: RouteHints, service: (any HostedService)?, query: String?) -> String {
        guard let service else { return "unknown" }
        if let target = route.target {
            guard let dot = target.lastIndex(of: ".") else { return target }
            return String(target[target.index(after: dot)...])
        }
        // Smithy RPC v2: `/service/<Service>/operation/<Operation>`.
        if route.pathSegments.count == 4, route.pathSegments[0] == "service", route.pathSegments[2] == "operation" {
            return route.pathSegments[3]
        }
        if service is SchedulerService {
            return SchedulerService.operationName(method: route.method, segments: route.pathSegments) ?? "unknown"
        }
        if service is LambdaService {
            return LambdaRoute.match(method: route.method, segments: route.pathSegments, query: { name in
                query.flatMap { QueryString.parse($0).first { $0.name == name }?.value }
            })?.operationName ?? "unknown"
        }
        return "unknown"
    }

    /// The `Action` of a query-protocol form body.
    static func action(inForm body: [UInt8]) -> String? {
        QueryString.parse(String(decoding: body, as: UTF8.self)).first { $0.name == "Action" }?.value
    }
}

extension LambdaRoute {
    /// The AWS operation name (Swiftlet's own code downloads are `DownloadCode` and `DownloadLayer`).
    var operationName: String {
        switch self {
        case .createFunction: "CreateFunction"
        case .listFunctions: "ListFunctions"
        case .getFunction: "GetFunction"
        case .deleteFunction: "DeleteFunction"
        case .getFunctionConfiguration: "GetFunctionConfiguration"
        case .updateFunctionConfiguration: "UpdateFunctionConfiguration"
        case .updateFunctionCode: "UpdateFunctionCode"
        case .getAccountSettings: "GetAccountSettings"
        case .tagResource: "TagResource"
        case .untagResource: "UntagResource"
        case .listTags: "ListTags"
        case .invoke: "Invoke"
        case .invokeWithResponseStream: "InvokeWithResponseStream"
        case .publishVersion: "PublishVersion"
        case .listVersions: "ListVersionsByFunction"
        case .createAlias: "CreateAlias"
        case .listAliases: "ListAliases"
        case .getAlias: "GetAlias"
        case .updateAlias: "UpdateAlias"
        case .deleteAlias: "DeleteAlias"
        case .addPermission: "AddPermission"
        case .getPolicy: "GetPolicy"
        case .removePermission: "RemovePermission"
        case .putFunctionConcurrency: "PutFunctionConcurrency"
        case .getFunctionConcurrency: "GetFunctionConcurrency"
        case .deleteFunctionConcurrency: "DeleteFunctionConcurrency"
        case .putProvisionedConcurrency: "PutProvisionedConcurrencyConfig"
        case .getProvisionedConcurrency: "GetProvisionedConcurrencyConfig"
        case .listProvisionedConcurrency: "ListProvisionedConcurrencyConfigs"
        case .deleteProvisionedConcurrency: "DeleteProvisionedConcurrencyConfig"
        case .createEventSourceMapping: "CreateEventSourceMapping"
        case .listEventSourceMappings: "ListEventSourceMappings"
        case .getEventSourceMapping: "GetEventSourceMapping"
        case .updateEventSourceMapping: "UpdateEventSourceMapping"
        case .deleteEventSourceMapping: "DeleteEventSourceMapping"
        case .putEventInvokeConfig: "PutFunctionEventInvokeConfig"
        case .getEventInvokeConfig: "GetFunctionEventInvokeConfig"
        case .updateEventInvokeConfig: "UpdateFunctionEventInvokeConfig"
        case .deleteEventInvokeConfig: "DeleteFunctionEventInvokeConfig"
        case .listEventInvokeConfigs: "ListFunctionEventInvokeConfigs"
        case .listLayers: "ListLayers"
        case .getLayerVersionByArn: "GetLayerVersionByArn"
        case .publishLayerVersion: "PublishLayerVersion"
        case .listLayerVersions: "ListLayerVersions"
        case .getLayerVersion: "GetLayerVersion"
        case .deleteLayerVersion: "DeleteLayerVersion"
        case .addLayerVersionPermission: "AddLayerVersionPermission"
        case .getLayerVersionPolicy: "GetLayerVersionPolicy"
        case .removeLayerVersionPermission: "RemoveLayerVersionPermission"
        case .createFunctionUrlConfig: "CreateFunctionUrlConfig"
        case .getFunctionUrlConfig: "GetFunctionUrlConfig"
        case .updateFunctionUrlConfig: "UpdateFunctionUrlConfig"
        case .deleteFunctionUrlConfig: "DeleteFunctionUrlConfig"
        case .listFunctionUrlConfigs: "ListFunctionUrlConfigs"
        case .downloadCode: "DownloadCode"
        case .downloadLayer: "DownloadLayer"
        }
    }
}
