/// Body of AddPermission.
public struct AddPermissionRequest: Codable, Sendable {
    public var StatementId: String?
    public var Action: String?
    public var Principal: String?
    public var SourceArn: String?
    public var SourceAccount: String?
    public var EventSourceToken: String?
    public var PrincipalOrgID: String?
    public var FunctionUrlAuthType: String?
    public var InvokedViaFunctionUrl: Bool?
    public var RevisionId: String?
}

public struct AddPermissionResponse: Codable, Sendable {
    public var Statement: String
}

/// Response of GetPolicy and GetLayerVersionPolicy.
public struct GetPolicyResponse: Codable, Sendable {
    public var Policy: String
    public var RevisionId: String
}

/// Body of AddLayerVersionPermission.
public struct AddLayerVersionPermissionRequest: Codable, Sendable {
    public var StatementId: String?
    public var Action: String?
    public var Principal: String?
    public var OrganizationId: String?
}

public struct AddLayerVersionPermissionResponse: Codable, Sendable {
    public var Statement: String
    public var RevisionId: String
}
