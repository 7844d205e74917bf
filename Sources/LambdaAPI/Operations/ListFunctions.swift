import AWSProtocol
import Catalog

extension LambdaService {
    /// `GET /2015-03-31/functions/?Marker=&MaxItems=`.
    func listFunctions(_ request: APIRequest) async throws -> APIResponse {
        var maxItems: Int?
        if let raw = request.queryValue("MaxItems") {
            guard let value = Int(raw) else {
                throw LambdaError.validation(field: "maxItems", value: raw, constraint: "Member must be an integer")
            }
            maxItems = value
        }
        if let version = request.queryValue("FunctionVersion"), version != "ALL" {
            throw LambdaError.validation(field: "functionVersion", value: version, constraint: "Member must satisfy enum value set: [ALL]")
        }
        let page = try await catalog.list(marker: request.queryValue("Marker"), maxItems: maxItems)
        return try .json(ListFunctionsResponse(
            Functions: page.functions.map { FunctionConfiguration($0, arns: catalog.arns) },
            NextMarker: page.nextMarker
        ))
    }
}
