import AWSProtocol
import Catalog

extension LambdaService {
    func aliasConfiguration(_ alias: AliasDefinition) -> AliasConfiguration {
        AliasConfiguration(
            AliasArn: catalog.aliasArn(alias), Name: alias.name, FunctionVersion: alias.functionVersion,
            Description: alias.description,
            RoutingConfig: alias.additionalVersionWeights.isEmpty ? nil : AliasRoutingConfiguration(AdditionalVersionWeights: alias.additionalVersionWeights),
            RevisionId: alias.revisionId)
    }

    /// `POST /2015-03-31/functions/{name}/aliases` → 201.
    func createAlias(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(CreateAliasRequest.self, from: request)
        guard let aliasName = body.Name else { throw LambdaError.invalidParameter("Name is a required parameter.") }
        let alias = try await catalog.createAlias(name, name: aliasName, input: AliasInput(
            functionVersion: body.FunctionVersion, description: body.Description,
            additionalVersionWeights: body.RoutingConfig.map { $0.AdditionalVersionWeights ?? [:] }))
        return try .json(aliasConfiguration(alias), status: 201)
    }

    /// `GET /2015-03-31/functions/{name}/aliases/{alias}`.
    func getAlias(_ request: APIRequest, name: String, alias: String) async throws -> APIResponse {
        try .json(aliasConfiguration(try await catalog.alias(name, name: alias)))
    }

    /// `PUT /2015-03-31/functions/{name}/aliases/{alias}`: the switch is atomic, invocations in flight finish
    /// on the version they started on.
    func updateAlias(_ request: APIRequest, name: String, alias: String) async throws -> APIResponse {
        let body = try decode(UpdateAliasRequest.self, from: request)
        let updated = try await catalog.updateAlias(name, name: alias, input: AliasInput(
            functionVersion: body.FunctionVersion, description: body.Description,
            additionalVersionWeights: body.RoutingConfig.map { $0.AdditionalVersionWeights ?? [:] }, revisionId: body.RevisionId))
        await reprovision(functionName: updated.functionName, qualifier: updated.name)
        return try .json(aliasConfiguration(updated))
    }

    /// `DELETE /2015-03-31/functions/{name}/aliases/{alias}` → 204.
    func deleteAlias(_ request: APIRequest, name: String, alias: String) async throws -> APIResponse {
        let existing = try await catalog.alias(name, name: alias)
        let url = await catalog.functionURL(ofFunction: existing.functionName, alias: existing.name)
        try await catalog.deleteAlias(name, name: alias)
        await unregisterFunctionURLs(url.map { [$0] } ?? [])
        invoker?.unprovision(functionName: existing.functionName, qualifier: existing.name)
        return .empty(status: 204)
    }

    /// `GET /2015-03-31/functions/{name}/aliases`.
    func listAliases(_ request: APIRequest, name: String) async throws -> APIResponse {
        let version = request.queryValue("FunctionVersion").flatMap { $0.isEmpty ? nil : $0 }
        let aliases = try await catalog.listAliases(name, functionVersion: version)
        let (page, next) = try paginate(aliases, request: request, key: \.name)
        return try .json(ListAliasesResponse(Aliases: page.map(aliasConfiguration), NextMarker: next))
    }
}
