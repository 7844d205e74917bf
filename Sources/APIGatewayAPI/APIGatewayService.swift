import AWSProtocol
import Foundation
import HTTPAPIs

/// The API Gateway v2 REST-JSON API (`/v2/…`, signing name `apigateway`) for HTTP APIs, over an
/// `HTTPAPIDirectory`: decodes the request shapes, calls the directory, encodes AWS's response shapes.
public struct APIGatewayService: Sendable {
    public static let apigatewaySigningName = "apigateway"
    /// Items per page of a Get* list when the caller sets no `maxResults`.
    static let defaultPageSize = 100
    static let maxPageSize = 500

    let directory: HTTPAPIDirectory

    public init(directory: HTTPAPIDirectory) {
        self.directory = directory
    }

    public func handle(_ request: APIRequest) async throws -> APIResponse {
        guard let route = APIGatewayRoute.match(method: request.method, segments: request.pathSegments) else {
            throw AWSError.unknownOperation("\(request.method) \(request.rawPath)")
        }
        switch route {
        case .createApi: return try await createApi(request)
        case .getApis: return try await getApis(request)
        case .getApi(let id): return try await getApi(id)
        case .updateApi(let id): return try await updateApi(request, id)
        case .deleteApi(let id): return try await deleteApi(id)
        case .deleteCorsConfiguration(let id): return try await deleteCorsConfiguration(id)
        case .create(let child, let apiId):
            switch child {
            case .routes: return try await createRoute(request, apiId)
            case .integrations: return try await createIntegration(request, apiId)
            case .stages: return try await createStage(request, apiId)
            case .deployments: return try await createDeployment(request, apiId)
            case .authorizers: return try await createAuthorizer(request, apiId)
            }
        case .list(let child, let apiId):
            switch child {
            case .routes: return try await getRoutes(request, apiId)
            case .integrations: return try await getIntegrations(request, apiId)
            case .stages: return try await getStages(request, apiId)
            case .deployments: return try await getDeployments(request, apiId)
            case .authorizers: return try await getAuthorizers(request, apiId)
            }
        case .get(let child, let apiId, let id):
            switch child {
            case .routes: return try .json(GetRouteResult(try await directory.getRoute(apiId, id)))
            case .integrations: return try .json(GetIntegrationResult(try await directory.getIntegration(apiId, id)))
            case .stages: return try .json(GetStageResponse(try await directory.getStage(apiId, id)))
            case .deployments: return try .json(GetDeploymentResponse(try await directory.getDeployment(apiId, id)))
            case .authorizers: return try .json(GetAuthorizerResponse(try await directory.getAuthorizer(apiId, id)))
            }
        case .update(let child, let apiId, let id):
            switch child {
            case .routes: return try await updateRoute(request, apiId, id)
            case .integrations: return try await updateIntegration(request, apiId, id)
            case .stages: return try await updateStage(request, apiId, id)
            case .authorizers: return try await updateAuthorizer(request, apiId, id)
            case .deployments: throw AWSError.unknownOperation("\(request.method) \(request.rawPath)")
            }
        case .delete(let child, let apiId, let id):
            switch child {
            case .routes: try await directory.deleteRoute(apiId, id)
            case .integrations: try await directory.deleteIntegration(apiId, id)
            case .stages: try await directory.deleteStage(apiId, id)
            case .deployments: try await directory.deleteDeployment(apiId, id)
            case .authorizers: try await directory.deleteAuthorizer(apiId, id)
            }
            return .empty(status: 204)
        case .tagResource(let arn): return try await tagResource(request, arn)
        case .untagResource(let arn): return try await untagResource(request, arn)
        case .getTags(let arn): return try .json(GetTagsResponse(tags: try await directory.tags(of: arn)))
        }
    }

    /// `apigateway:<method>` on the path's resource ARN.
    public func permissions(for request: APIRequest) async throws -> [RequiredPermission] {
        APIGatewayPermissions.required(for: request, region: directory.region)
    }

    // MARK: Helpers of the operations

    func decode<T: Decodable>(_ type: T.Type, from request: APIRequest) throws -> T {
        let body = request.body.isEmpty ? Array("{}".utf8) : request.body
        do {
            return try AWSJSON.decoder().decode(T.self, from: Data(body))
        } catch let error as HTTPAPIError {
            throw error
        } catch {
            throw HTTPAPIError.badRequest("Invalid request body: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "not JSON" }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "unreadable"
        }
    }

    /// One page of `items` (in order) after `nextToken` (the key of the previous page's last item), at most
    /// `maxResults` long.
    func page<Item, Shape: Codable & Sendable>(_ items: [Item], _ request: APIRequest, key: (Item) -> String,
                                               shape: (Item) -> Shape) throws -> APIResponse {
        var limit = Self.defaultPageSize
        if let raw = request.queryValue("maxResults"), !raw.isEmpty {
            guard let value = Int(raw), value >= 1 else {
                throw HTTPAPIError.badRequest("maxResults must be a positive integer: \(raw)")
            }
            limit = min(value, Self.maxPageSize)
        }
        var rest = items[...]
        if let token = request.queryValue("nextToken"), !token.isEmpty {
            guard let index = items.firstIndex(where: { key($0) == token }) else {
                throw HTTPAPIError.badRequest("Invalid nextToken: \(token)")
            }
            rest = items[items.index(after: index)...]
        }
        let page = Array(rest.prefix(limit))
        let next = rest.count > limit ? page.last.map(key) : nil
        return try .json(Page(items: page.map(shape), nextToken: next))
    }
}
