/// `FunctionCodeLocation` of GetFunction.
public struct FunctionCodeLocation: Codable, Sendable {
    public var RepositoryType: String
    public var Location: String
}

/// Response of GetFunction.
public struct GetFunctionResponse: Codable, Sendable {
    public var Configuration: FunctionConfiguration
    public var Code: FunctionCodeLocation
    public var Tags: [String: String]?
    public var Concurrency: Concurrency?
}

/// Response of ListFunctions.
public struct ListFunctionsResponse: Codable, Sendable {
    public var Functions: [FunctionConfiguration]
    public var NextMarker: String?
}

/// Body of TagResource.
public struct TagResourceRequest: Codable, Sendable {
    public var Tags: [String: String]?
}

/// Response of ListTags.
public struct ListTagsResponse: Codable, Sendable {
    public var Tags: [String: String]
}

public struct AccountLimit: Codable, Sendable {
    public var TotalCodeSize: Int
    public var CodeSizeUnzipped: Int
    public var CodeSizeZipped: Int
    public var ConcurrentExecutions: Int
    public var UnreservedConcurrentExecutions: Int
}

public struct AccountUsage: Codable, Sendable {
    public var TotalCodeSize: Int
    public var FunctionCount: Int
}

/// Response of GetAccountSettings.
public struct GetAccountSettingsResponse: Codable, Sendable {
    public var AccountLimit: AccountLimit
    public var AccountUsage: AccountUsage
}
