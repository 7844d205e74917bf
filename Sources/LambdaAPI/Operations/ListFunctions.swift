import AWSProtocol
import Catalog

extension LambdaService {
    /// `GET /2015-03-31/functions/?Marker=&MaxItems=&FunctionVersion=ALL`: with `ALL`, each function's
    /// published versions follow its `$LATEST`.
    func listFunctions(_ request: APIRequest) async throws -> APIResponse {
        let maxItems = try maxItems(request)
        if let version = request.queryValue("FunctionVersion"), version != "ALL" {
            throw LambdaError.validation(field: "functionVersion", value: version, constraint: "Member must satisfy enum value set: [ALL]")
        }
        let page = try await catalog.list(marker: request.queryValue("Marker"), maxItems: maxItems)
        var functions: [FunctionConfiguration] = []
        for function in page.functions {
            functions.append(FunctionConfiguration(function, arns: catalog.arns))
            if request.queryValue("FunctionVersion") == "ALL" {
                for version in try await catalog.store.listVersions(of: function.name, after: nil, limit: Int.max) {
                    functions.append(FunctionConfiguration(version, arns: catalog.arns))
                }
            }
        }
        return try .json(ListFunctionsResponse(Functions: functions, NextMarker: page.nextMarker))
    }
}
