import AWSProtocol
import Catalog

extension LambdaService {
    /// `POST /2015-03-31/functions/{name}/policy` → 201 with the statement added.
    func addPermission(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(AddPermissionRequest.self, from: request)
        let statement = try await catalog.addPermission(name, qualifier: qualifier(request), input: PermissionInput(
            statementId: body.StatementId, action: body.Action, principal: body.Principal, sourceArn: body.SourceArn,
            sourceAccount: body.SourceAccount, eventSourceToken: body.EventSourceToken, principalOrgId: body.PrincipalOrgID,
            functionUrlAuthType: body.FunctionUrlAuthType, invokedViaFunctionUrl: body.InvokedViaFunctionUrl, revisionId: body.RevisionId))
        return try .json(AddPermissionResponse(Statement: statement.json), status: 201)
    }

    /// `GET /2015-03-31/functions/{name}/policy`.
    func getPolicy(_ request: APIRequest, name: String) async throws -> APIResponse {
        let record = try await catalog.policy(name, qualifier: qualifier(request))
        return try .json(GetPolicyResponse(Policy: record.document.json, RevisionId: record.revisionId))
    }

    /// `DELETE /2015-03-31/functions/{name}/policy/{sid}` → 204.
    func removePermission(_ request: APIRequest, name: String, statementId: String) async throws -> APIResponse {
        try await catalog.removePermission(name, qualifier: qualifier(request), statementId: statementId,
                                           revisionId: request.queryValue("RevisionId").flatMap { $0.isEmpty ? nil : $0 })
        return .empty(status: 204)
    }

    /// `POST /2018-10-31/layers/{name}/versions/{n}/policy` → 201.
    func addLayerVersionPermission(_ request: APIRequest, name: String, version: String) async throws -> APIResponse {
        let body = try decode(AddLayerVersionPermissionRequest.self, from: request)
        let (statement, revision) = try await catalog.addLayerVersionPermission(
            name, number: try layerVersionNumber(version), statementId: body.StatementId, action: body.Action,
            principal: body.Principal, organizationId: body.OrganizationId,
            revisionId: request.queryValue("RevisionId").flatMap { $0.isEmpty ? nil : $0 })
        return try .json(AddLayerVersionPermissionResponse(Statement: statement.json, RevisionId: revision), status: 201)
    }

    /// `GET /2018-10-31/layers/{name}/versions/{n}/policy`.
    func getLayerVersionPolicy(_ request: APIRequest, name: String, version: String) async throws -> APIResponse {
        let record = try await catalog.layerVersionPolicy(name, number: try layerVersionNumber(version))
        return try .json(GetPolicyResponse(Policy: record.document.json, RevisionId: record.revisionId))
    }

    /// `DELETE /2018-10-31/layers/{name}/versions/{n}/policy/{sid}` → 204.
    func removeLayerVersionPermission(_ request: APIRequest, name: String, version: String, statementId: String) async throws -> APIResponse {
        try await catalog.removeLayerVersionPermission(name, number: try layerVersionNumber(version), statementId: statementId,
                                                       revisionId: request.queryValue("RevisionId").flatMap { $0.isEmpty ? nil : $0 })
        return .empty(status: 204)
    }
}
