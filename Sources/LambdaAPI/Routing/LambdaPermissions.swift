import AWSProtocol
import Catalog
import Foundation

/// The IAM permission each Lambda operation needs, with the action names and resource ARNs of AWS's service
/// authorization reference (e.g. Invoke → `lambda:InvokeFunction` on the function ARN, qualified when the call is).
extension LambdaService {
    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        guard let route = LambdaRoute.match(method: request.method, segments: request.pathSegments, query: request.queryValue) else {
            return []
        }
        let q = qualifier(request)
        func on(_ action: String, _ name: String, qualifier: String? = q, withPolicy: Bool = false) async -> [RequiredPermission] {
            guard let resource = catalog.permissionResource(name, qualifier: qualifier) else {
                return [RequiredPermission(action: "lambda:" + action, resource: "*")]
            }
            let policy = withPolicy ? await catalog.resourcePolicyJSON(function: resource.name, qualifier: resource.qualifier) : nil
            return [RequiredPermission(action: "lambda:" + action, resource: resource.arn,
                                       context: ["lambda:FunctionArn": [resource.arn]], resourcePolicy: policy)]
        }
        func anywhere(_ action: String) -> [RequiredPermission] {
            [RequiredPermission(action: "lambda:" + action, resource: "*")]
        }
        func layer(_ action: String, _ name: String, _ version: String?) async -> [RequiredPermission] {
            let arn = catalog.layerArn(name) + (version.map { ":\($0)" } ?? "")
            let policy: String? = if let version, let number = Int(version) { await catalog.layerPolicyJSON(layer: name, version: number) } else { nil }
            return [RequiredPermission(action: "lambda:" + action, resource: arn, resourcePolicy: policy)]
        }

        switch route {
        case .createFunction:
            let body = try decode(FunctionResources.self, from: request)
            return await on("CreateFunction", body.FunctionName ?? "", qualifier: nil) + passRole(body.Role)
                + layerUses(body.Layers)
        case .updateFunctionConfiguration(let name):
            let body = try decode(FunctionResources.self, from: request)
            return await on("UpdateFunctionConfiguration", name, qualifier: nil) + passRole(body.Role) + layerUses(body.Layers)
        case .listFunctions: return anywhere("ListFunctions")
        case .getFunction(let name): return await on("GetFunction", name)
        case .deleteFunction(let name): return await on("DeleteFunction", name)
        case .getFunctionConfiguration(let name): return await on("GetFunctionConfiguration", name)
        case .updateFunctionCode(let name): return await on("UpdateFunctionCode", name, qualifier: nil)
        case .getAccountSettings: return anywhere("GetAccountSettings")
        case .tagResource(let arn): return [RequiredPermission(action: "lambda:TagResource", resource: arn)]
        case .untagResource(let arn): return [RequiredPermission(action: "lambda:UntagResource", resource: arn)]
        case .listTags(let arn): return [RequiredPermission(action: "lambda:ListTags", resource: arn)]
        case .invoke(let name): return await on("InvokeFunction", name, withPolicy: true)
        case .publishVersion(let name): return await on("PublishVersion", name, qualifier: nil)
        case .listVersions(let name): return await on("ListVersionsByFunction", name, qualifier: nil)
        case .createAlias(let name): return await on("CreateAlias", name, qualifier: nil)
        case .listAliases(let name): return await on("ListAliases", name, qualifier: nil)
        case .getAlias(let name, let alias): return await on("GetAlias", name, qualifier: alias)
        case .updateAlias(let name, let alias): return await on("UpdateAlias", name, qualifier: alias)
        case .deleteAlias(let name, let alias): return await on("DeleteAlias", name, qualifier: alias)
        case .addPermission(let name): return await on("AddPermission", name)
        case .getPolicy(let name): return await on("GetPolicy", name)
        case .removePermission(let name, _): return await on("RemovePermission", name)
        case .putFunctionConcurrency(let name): return await on("PutFunctionConcurrency", name, qualifier: nil)
        case .getFunctionConcurrency(let name): return await on("GetFunctionConcurrency", name, qualifier: nil)
        case .deleteFunctionConcurrency(let name): return await on("DeleteFunctionConcurrency", name, qualifier: nil)
        case .putProvisionedConcurrency(let name): return await on("PutProvisionedConcurrencyConfig", name)
        case .getProvisionedConcurrency(let name): return await on("GetProvisionedConcurrencyConfig", name)
        case .listProvisionedConcurrency(let name): return await on("ListProvisionedConcurrencyConfigs", name, qualifier: nil)
        case .deleteProvisionedConcurrency(let name): return await on("DeleteProvisionedConcurrencyConfig", name)
        case .createEventSourceMapping: return anywhere("CreateEventSourceMapping")
        case .listEventSourceMappings: return anywhere("ListEventSourceMappings")
        case .getEventSourceMapping(let uuid): return mapping("GetEventSourceMapping", uuid)
        case .updateEventSourceMapping(let uuid): return mapping("UpdateEventSourceMapping", uuid)
        case .deleteEventSourceMapping(let uuid): return mapping("DeleteEventSourceMapping", uuid)
        case .putEventInvokeConfig(let name): return await on("PutFunctionEventInvokeConfig", name)
        case .getEventInvokeConfig(let name): return await on("GetFunctionEventInvokeConfig", name)
        case .updateEventInvokeConfig(let name): return await on("UpdateFunctionEventInvokeConfig", name)
        case .deleteEventInvokeConfig(let name): return await on("DeleteFunctionEventInvokeConfig", name)
        case .listEventInvokeConfigs(let name): return await on("ListFunctionEventInvokeConfigs", name, qualifier: nil)
        case .listLayers: return anywhere("ListLayers")
        case .getLayerVersionByArn:
            let arn = request.queryValue("Arn") ?? "*"
            let parts = arn.split(separator: ":").map(String.init)
            if parts.count == 8, parts[5] == "layer" { return await layer("GetLayerVersion", parts[6], parts[7]) }
            return [RequiredPermission(action: "lambda:GetLayerVersion", resource: arn)]
        case .publishLayerVersion(let name): return await layer("PublishLayerVersion", name, nil)
        case .listLayerVersions: return anywhere("ListLayerVersions")
        case .getLayerVersion(let name, let version): return await layer("GetLayerVersion", name, version)
        case .deleteLayerVersion(let name, let version): return await layer("DeleteLayerVersion", name, version)
        case .addLayerVersionPermission(let name, let version): return await layer("AddLayerVersionPermission", name, version)
        case .getLayerVersionPolicy(let name, let version): return await layer("GetLayerVersionPolicy", name, version)
        case .removeLayerVersionPermission(let name, let version, _): return await layer("RemoveLayerVersionPermission", name, version)
        case .downloadCode, .downloadLayer:
            // Presigned URLs handed out by GetFunction / GetLayerVersion: the signature is the permission.
            return []
        }
    }

    /// `iam:PassRole` on the execution role, as Lambda requires of whoever sets a function's role.
    private func passRole(_ role: String?) -> [RequiredPermission] {
        guard let role, !role.isEmpty else { return [] }
        return [RequiredPermission(action: "iam:PassRole", resource: role,
                                   context: ["iam:PassedToService": ["lambda.amazonaws.com"]])]
    }

    /// `lambda:GetLayerVersion` on each layer a function uses, with the layer version's own policy.
    private func layerUses(_ layers: [String]?) async -> [RequiredPermission] {
        var needed: [RequiredPermission] = []
        for arn in layers ?? [] {
            let parts = arn.split(separator: ":").map(String.init)
            let policy: String? = if parts.count == 8, let number = Int(parts[7]) {
                await catalog.layerPolicyJSON(layer: parts[6], version: number)
            } else { nil }
            needed.append(RequiredPermission(action: "lambda:GetLayerVersion", resource: arn, resourcePolicy: policy))
        }
        return needed
    }

    private func mapping(_ action: String, _ uuid: String) -> [RequiredPermission] {
        [RequiredPermission(action: "lambda:" + action,
                            resource: "arn:aws:lambda:\(catalog.arns.region):\(catalog.arns.accountId):event-source-mapping:\(uuid)")]
    }
}

/// The members of CreateFunction / UpdateFunctionConfiguration that name other resources.
struct FunctionResources: Decodable {
    var FunctionName: String?
    var Role: String?
    var Layers: [String]?
}
