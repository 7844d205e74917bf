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
        // A function policy grants whatever its statements say (AddPermission may grant any lambda: action).
        func on(_ action: String, _ name: String, qualifier: String? = q) async -> [RequiredPermission] {
            guard let resource = catalog.permissionResource(name, qualifier: qualifier) else {
                return [RequiredPermission(action: "lambda:" + action, resource: "*")]
            }
            let policy = await catalog.resourcePolicyJSON(function: resource.name, qualifier: resource.qualifier)
            var context = await catalog.resourceTagKeys(function: resource.name)
            context["lambda:FunctionArn"] = [resource.arn]
            return [RequiredPermission(action: "lambda:" + action, resource: resource.arn, context: context, resourcePolicy: policy)]
        }
        /// Tags a request sets, as `aws:RequestTag/<key>` and `aws:TagKeys`.
        func requestTags(_ tags: [String: String]?, _ permissions: [RequiredPermission]) -> [RequiredPermission] {
            guard let tags, !tags.isEmpty, var first = permissions.first else { return permissions }
            for (key, value) in tags { first.context["aws:RequestTag/" + key] = [value] }
            first.context["aws:TagKeys"] = tags.keys.sorted()
            return [first] + permissions.dropFirst()
        }
        func anywhere(_ action: String) -> [RequiredPermission] {
            [RequiredPermission(action: "lambda:" + action, resource: "*")]
        }
        func layer(_ action: String, _ name: String, _ version: String?) async -> [RequiredPermission] {
            guard let resource = await catalog.layerPermissionResource(name, version: version) else {
                return [RequiredPermission(action: "lambda:" + action, resource: "*")]
            }
            return [RequiredPermission(action: "lambda:" + action, resource: resource.arn, resourcePolicy: resource.policy)]
        }

        switch route {
        case .createFunction:
            let body = try decode(FunctionResources.self, from: request)
            let create = await on("CreateFunction", body.FunctionName ?? "", qualifier: nil)
            return requestTags(body.Tags, create) + passRole(body.Role) + (await layerUses(body.Layers))
        case .updateFunctionConfiguration(let name):
            let body = try decode(FunctionResources.self, from: request)
            return await on("UpdateFunctionConfiguration", name, qualifier: nil) + passRole(body.Role) + layerUses(body.Layers)
        case .listFunctions: return anywhere("ListFunctions")
        case .getFunction(let name): return await on("GetFunction", name)
        case .deleteFunction(let name): return await on("DeleteFunction", name)
        case .getFunctionConfiguration(let name): return await on("GetFunctionConfiguration", name)
        case .updateFunctionCode(let name): return await on("UpdateFunctionCode", name, qualifier: nil)
        case .getAccountSettings: return anywhere("GetAccountSettings")
        case .tagResource(let arn):
            let tag = await on("TagResource", arn, qualifier: nil)
            return requestTags(try decode(TagResourceRequest.self, from: request).Tags, tag)
        case .untagResource(let arn):
            var permissions = await on("UntagResource", arn, qualifier: nil)
            permissions[0].context["aws:TagKeys"] = request.queryValues("tagKeys")
            return permissions
        case .listTags(let arn): return await on("ListTags", arn, qualifier: nil)
        case .invoke(let name): return await on("InvokeFunction", name)
        case .invokeWithResponseStream(let name): return await on("InvokeFunction", name)
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
        case .createEventSourceMapping:
            return try await mapping("CreateEventSourceMapping", nil, function: decode(MappingResources.self, from: request).FunctionName)
        case .listEventSourceMappings: return anywhere("ListEventSourceMappings")
        case .getEventSourceMapping(let uuid): return try await mapping("GetEventSourceMapping", uuid, function: nil)
        case .updateEventSourceMapping(let uuid):
            return try await mapping("UpdateEventSourceMapping", uuid, function: decode(MappingResources.self, from: request).FunctionName)
        case .deleteEventSourceMapping(let uuid): return try await mapping("DeleteEventSourceMapping", uuid, function: nil)
        case .putEventInvokeConfig(let name): return await on("PutFunctionEventInvokeConfig", name)
        case .getEventInvokeConfig(let name): return await on("GetFunctionEventInvokeConfig", name)
        case .updateEventInvokeConfig(let name): return await on("UpdateFunctionEventInvokeConfig", name)
        case .deleteEventInvokeConfig(let name): return await on("DeleteFunctionEventInvokeConfig", name)
        case .listEventInvokeConfigs(let name): return await on("ListFunctionEventInvokeConfigs", name, qualifier: nil)
        case .listLayers: return anywhere("ListLayers")
        case .getLayerVersionByArn:
            let parts = (request.queryValue("Arn") ?? "").split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 8, parts[5] == "layer" else { return anywhere("GetLayerVersion") }
            return await layer("GetLayerVersion", parts[0...6].joined(separator: ":"), parts[7])
        case .publishLayerVersion(let name): return await layer("PublishLayerVersion", name, nil)
        case .listLayerVersions: return anywhere("ListLayerVersions")
        case .getLayerVersion(let name, let version): return await layer("GetLayerVersion", name, version)
        case .deleteLayerVersion(let name, let version): return await layer("DeleteLayerVersion", name, version)
        case .addLayerVersionPermission(let name, let version): return await layer("AddLayerVersionPermission", name, version)
        case .getLayerVersionPolicy(let name, let version): return await layer("GetLayerVersionPolicy", name, version)
        case .removeLayerVersionPermission(let name, let version, _): return await layer("RemoveLayerVersionPermission", name, version)
        case .createFunctionUrlConfig(let name), .updateFunctionUrlConfig(let name), .getFunctionUrlConfig(let name),
             .deleteFunctionUrlConfig(let name):
            let action = switch route {
            case .createFunctionUrlConfig: "CreateFunctionUrlConfig"
            case .updateFunctionUrlConfig: "UpdateFunctionUrlConfig"
            case .getFunctionUrlConfig: "GetFunctionUrlConfig"
            default: "DeleteFunctionUrlConfig"
            }
            var permissions = await on(action, name)
            let sets = action == "CreateFunctionUrlConfig" || action == "UpdateFunctionUrlConfig"
            if let authType = await functionURLAuthType(request, name: name, setsAuthType: sets) {
                permissions[0].context["lambda:FunctionUrlAuthType"] = [authType]
            }
            return permissions
        case .listFunctionUrlConfigs(let name): return await on("ListFunctionUrlConfigs", name, qualifier: nil)
        case .downloadCode(let name, _):
            // Presigned URLs from GetFunction are signed with the root key; anyone else needs the read permission.
            return await on("GetFunction", name, qualifier: nil)
        case .downloadLayer(let name, let version): return await layer("GetLayerVersion", name, version)
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
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let resource = parts.count == 8 ? await catalog.layerPermissionResource(parts[0...6].joined(separator: ":"), version: parts[7]) : nil
            needed.append(RequiredPermission(action: "lambda:GetLayerVersion", resource: resource?.arn ?? arn,
                                             resourcePolicy: resource?.policy))
        }
        return needed
    }

    /// An event source mapping's permission (on its ARN; `*` when creating), with the function it invokes (the one
    /// named in the request, else the mapping's) as `lambda:FunctionArn`.
    private func mapping(_ action: String, _ uuid: String?, function: String?) async throws -> [RequiredPermission] {
        let resource = uuid.map { "arn:aws:lambda:\(catalog.arns.region):\(catalog.arns.accountId):event-source-mapping:\($0)" } ?? "*"
        var permission = RequiredPermission(action: "lambda:" + action, resource: resource)
        var target = function.flatMap { catalog.permissionResource($0, qualifier: nil)?.arn }
        if target == nil, let uuid, let existing = try? await mappings?.mapping(uuid) {
            target = catalog.arns.function(existing.functionName, qualifier: existing.qualifier)
        }
        if let target { permission.context["lambda:FunctionArn"] = [target] }
        return [permission]
    }
}

/// The member of CreateEventSourceMapping / UpdateEventSourceMapping that names the function.
struct MappingResources: Decodable {
    var FunctionName: String?
}

/// The members of CreateFunction / UpdateFunctionConfiguration that name other resources.
struct FunctionResources: Decodable {
    var FunctionName: String?
    var Role: String?
    var Layers: [String]?
    var Tags: [String: String]?
}
