/// Body of PublishVersion.
public struct PublishVersionRequest: Codable, Sendable {
    public var CodeSha256: String?
    public var Description: String?
    public var RevisionId: String?
}

/// Response of ListVersionsByFunction.
public struct ListVersionsByFunctionResponse: Codable, Sendable {
    public var Versions: [FunctionConfiguration]
    public var NextMarker: String?
}

/// `AliasRoutingConfiguration`.
public struct AliasRoutingConfiguration: Codable, Sendable, Equatable {
    public var AdditionalVersionWeights: [String: Double]?
}

/// Body of CreateAlias.
public struct CreateAliasRequest: Codable, Sendable {
    public var Name: String?
    public var FunctionVersion: String?
    public var Description: String?
    public var RoutingConfig: AliasRoutingConfiguration?
}

/// Body of UpdateAlias.
public struct UpdateAliasRequest: Codable, Sendable {
    public var FunctionVersion: String?
    public var Description: String?
    public var RoutingConfig: AliasRoutingConfiguration?
    public var RevisionId: String?
}

/// `AliasConfiguration`, the response of the alias operations.
public struct AliasConfiguration: Codable, Sendable, Equatable {
    public var AliasArn: String
    public var Name: String
    public var FunctionVersion: String
    public var Description: String
    public var RoutingConfig: AliasRoutingConfiguration?
    public var RevisionId: String
}

/// Response of ListAliases.
public struct ListAliasesResponse: Codable, Sendable {
    public var Aliases: [AliasConfiguration]
    public var NextMarker: String?
}
