import AWSProtocol
import AsyncInvocation
import EventSourceMappings
import Auth
import Catalog
import Foundation
import Invoker

/// The Lambda REST-JSON API (signing name `lambda`): decodes requests into catalog calls and
/// catalog results into AWS's response shapes.
public struct LambdaService: Sendable {
    public static let lambdaSigningName = "lambda"

    let catalog: FunctionCatalog
    /// Signs `Code.Location` download URLs.
    let codeSigner: SigV4Signer
    /// Runs invocations; nil where functions cannot run (control-plane-only tests).
    let invoker: Invoker?
    /// Takes `InvocationType: Event`; nil where functions cannot run.
    let dispatcher: AsyncDispatcher?
    /// Event source mappings; nil where functions cannot run.
    let mappings: MappingManager?
    /// Where function URLs are reached: builds `FunctionUrl` and opens/closes each URL's endpoint.
    let endpoints: any HTTPEndpointRegistry
    /// In a cluster, sends a sync invoke that would cold-start here to a node with the revision warm; nil on a single node.
    let forwarder: InvokeForwarder?

    /// `endpoints` nil: URLs name the AWS-shaped host and nothing serves them (`UnroutedEndpointRegistry`).
    public init(catalog: FunctionCatalog, codeSigner: SigV4Signer, invoker: Invoker? = nil, dispatcher: AsyncDispatcher? = nil,
                mappings: MappingManager? = nil, endpoints: (any HTTPEndpointRegistry)? = nil, forwarder: InvokeForwarder? = nil) {
        self.forwarder = forwarder
        self.catalog = catalog
        self.codeSigner = codeSigner
        self.invoker = invoker
        self.dispatcher = dispatcher
        self.mappings = mappings
        self.endpoints = endpoints ?? UnroutedEndpointRegistry(region: catalog.arns.region)
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        guard let route = LambdaRoute.match(method: request.method, segments: request.pathSegments, query: request.queryValue) else {
            throw AWSError.unknownOperation("\(request.method) \(request.rawPath)")
        }
        switch route {
        case .createFunction: return try await createFunction(request)
        case .listFunctions: return try await listFunctions(request)
        case .getFunction(let name): return try await getFunction(request, name: name)
        case .getFunctionConfiguration(let name): return try await getFunctionConfiguration(request, name: name)
        case .deleteFunction(let name): return try await deleteFunction(request, name: name)
        case .updateFunctionCode(let name): return try await updateFunctionCode(request, name: name)
        case .updateFunctionConfiguration(let name): return try await updateFunctionConfiguration(request, name: name)
        case .getAccountSettings: return try await getAccountSettings(request)
        case .tagResource(let arn): return try await tagResource(request, arn: arn)
        case .untagResource(let arn): return try await untagResource(request, arn: arn)
        case .listTags(let arn): return try await listTags(request, arn: arn)
        case .downloadCode(let name, let digest): return try await downloadCode(request, name: name, digest: digest)
        case .invoke(let name): return try await invoke(request, name: name)
        case .invokeWithResponseStream(let name): return try await invokeWithResponseStream(request, name: name)
        case .downloadLayer(let layer, let version): return try await downloadLayer(request, name: layer, version: version)
        case .publishVersion(let name): return try await publishVersion(request, name: name)
        case .listVersions(let name): return try await listVersions(request, name: name)
        case .createAlias(let name): return try await createAlias(request, name: name)
        case .listAliases(let name): return try await listAliases(request, name: name)
        case .getAlias(let name, let alias): return try await getAlias(request, name: name, alias: alias)
        case .updateAlias(let name, let alias): return try await updateAlias(request, name: name, alias: alias)
        case .deleteAlias(let name, let alias): return try await deleteAlias(request, name: name, alias: alias)
        case .addPermission(let name): return try await addPermission(request, name: name)
        case .getPolicy(let name): return try await getPolicy(request, name: name)
        case .removePermission(let name, let sid): return try await removePermission(request, name: name, statementId: sid)
        case .putFunctionConcurrency(let name): return try await putFunctionConcurrency(request, name: name)
        case .getFunctionConcurrency(let name): return try await getFunctionConcurrency(request, name: name)
        case .deleteFunctionConcurrency(let name): return try await deleteFunctionConcurrency(request, name: name)
        case .putProvisionedConcurrency(let name): return try await putProvisionedConcurrency(request, name: name)
        case .getProvisionedConcurrency(let name): return try await getProvisionedConcurrency(request, name: name)
        case .listProvisionedConcurrency(let name): return try await listProvisionedConcurrency(request, name: name)
        case .deleteProvisionedConcurrency(let name): return try await deleteProvisionedConcurrency(request, name: name)
        case .createEventSourceMapping: return try await createEventSourceMapping(request)
        case .listEventSourceMappings: return try await listEventSourceMappings(request)
        case .getEventSourceMapping(let uuid): return try await getEventSourceMapping(request, uuid: uuid)
        case .updateEventSourceMapping(let uuid): return try await updateEventSourceMapping(request, uuid: uuid)
        case .deleteEventSourceMapping(let uuid): return try await deleteEventSourceMapping(request, uuid: uuid)
        case .putEventInvokeConfig(let name): return try await putEventInvokeConfig(request, name: name)
        case .getEventInvokeConfig(let name): return try await getEventInvokeConfig(request, name: name)
        case .updateEventInvokeConfig(let name): return try await updateEventInvokeConfig(request, name: name)
        case .deleteEventInvokeConfig(let name): return try await deleteEventInvokeConfig(request, name: name)
        case .listEventInvokeConfigs(let name): return try await listEventInvokeConfigs(request, name: name)
        case .listLayers: return try await listLayers(request)
        case .getLayerVersionByArn: return try await getLayerVersionByArn(request)
        case .publishLayerVersion(let name): return try await publishLayerVersion(request, name: name)
        case .listLayerVersions(let name): return try await listLayerVersions(request, name: name)
        case .getLayerVersion(let name, let version): return try await getLayerVersion(request, name: name, version: version)
        case .deleteLayerVersion(let name, let version): return try await deleteLayerVersion(request, name: name, version: version)
        case .addLayerVersionPermission(let name, let version): return try await addLayerVersionPermission(request, name: name, version: version)
        case .getLayerVersionPolicy(let name, let version): return try await getLayerVersionPolicy(request, name: name, version: version)
        case .removeLayerVersionPermission(let name, let version, let sid):
            return try await removeLayerVersionPermission(request, name: name, version: version, statementId: sid)
        case .createFunctionUrlConfig(let name): return try await createFunctionUrlConfig(request, name: name)
        case .getFunctionUrlConfig(let name): return try await getFunctionUrlConfig(request, name: name)
        case .updateFunctionUrlConfig(let name): return try await updateFunctionUrlConfig(request, name: name)
        case .deleteFunctionUrlConfig(let name): return try await deleteFunctionUrlConfig(request, name: name)
        case .listFunctionUrlConfigs(let name): return try await listFunctionUrlConfigs(request, name: name)
        }
    }

    /// Decodes a JSON body; an empty body decodes as `{}`.
    func decode<T: Decodable>(_ type: T.Type, from request: APIRequest) throws -> T {
        let body = request.body.isEmpty ? Array("{}".utf8) : request.body
        do {
            return try AWSJSON.decoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw LambdaError.invalidRequestContent("Could not parse request body into json: \(Self.describe(error))")
        } catch {
            throw LambdaError.invalidRequestContent("Could not parse request body into json: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(context.debugDescription) (at '\(path)')"
        @unknown default:
            return "\(error)"
        }
    }

    /// `Qualifier` query parameter, nil when absent or empty.
    func qualifier(_ request: APIRequest) -> String? {
        request.queryValue("Qualifier").flatMap { $0.isEmpty ? nil : $0 }
    }
}
